import { type StatusJson, statusJson } from "./supervision.ts";

export type Status = StatusJson;
export type StatusWorker = StatusJson["workers"][number];

/** `lsky status --json --port N`, parsed (one implementation: supervision.ts). */
export const readStatus = statusJson;

/** The pids of the workers in the ready state. */
export function readyPids(status: Status): number[] {
  return status.workers.filter((w) => w.state === "ready").map((w) => w.pid);
}
