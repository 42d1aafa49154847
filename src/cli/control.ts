import { parseInteger } from "../config/parse-value.ts";
import { LskyError } from "../errors.ts";
import type { StatusReport } from "../supervisor/status.ts";
import { parseCommandArgs } from "./args.ts";
import { sendControl } from "./control-client.ts";
import { controlHelp } from "./help.ts";
import { formatStatus } from "./status-table.ts";

function portOption(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInteger(String(value), 1, 65535);
  } catch (error) {
    throw new LskyError("USAGE", `Invalid value "${value}" for --port: ${(error as Error).message}`);
  }
}

/** `lsky reload` and `lsky stop`. */
export async function simpleControlCommand(command: "reload" | "stop", args: string[]): Promise<number> {
  const { values } = parseCommandArgs(command, args, { port: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (values.help) return void process.stdout.write(controlHelp(command)), 0;
  const reply = await sendControl(command, portOption(values.port)) as { ms?: number; reloaded?: number };
  process.stdout.write(command === "reload"
    ? `Reloaded ${reply.reloaded} worker${reply.reloaded === 1 ? "" : "s"} in ${reply.ms} ms\n`
    : "Stopping: the workers are draining\n");
  return 0;
}

/** `lsky status [--json] [-i SECS]`. */
export async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("status", args, {
    port: { type: "string" }, json: { type: "boolean" }, interval: { type: "string", short: "i" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(controlHelp("status")), 0;
  const port = portOption(values.port);
  const interval = values.interval === undefined ? 0 : parseIntervalOption(String(values.interval));
  const render = (report: StatusReport) => values.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report);
  process.stdout.write(render(await sendControl("status", port) as StatusReport));
  while (interval > 0) {
    await new Promise((r) => setTimeout(r, interval));
    const report = await sendControl("status", port) as StatusReport;
    process.stdout.write(`${values.json ? "" : "\x1b[2J\x1b[H"}${render(report)}`);
  }
  return 0;
}

function parseIntervalOption(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new LskyError("USAGE", `Invalid value "${text}" for --interval: expected seconds between 0 and 3600`);
  }
  return seconds * 1000;
}
