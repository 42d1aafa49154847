// The peers of lsky's task workers, run inside the bench process (Node):
// Piscina with 2 worker threads, and a raw round trip over child-process IPC
// to 2 forked children (no queue, no retries, no timeouts: the floor).
import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../paths.ts";

const HERE = join(ROOT, "scripts", "bench", "tasks");

export interface TaskPeer {
  id: string;
  label: string;
  runOne(i: number): Promise<unknown>;
  /** The child processes (their CPU time is read from /proc), besides this process's own. */
  pids(): number[];
  close(): Promise<void>;
}

export async function piscinaPeer(): Promise<TaskPeer> {
  const { Piscina } = await import("piscina");
  const pool = new Piscina({ filename: join(HERE, "piscina-task.mjs"), minThreads: 2, maxThreads: 2 });
  return { id: "piscina", label: "Piscina, 2 threads (Node)", runOne: (i) => pool.run(i), pids: () => [], close: () => pool.destroy() };
}

/** Two children answering over IPC, used in turn; each message carries an id to match its answer. */
export function ipcPeer(): TaskPeer {
  const children: ChildProcess[] = [0, 1].map(() => fork(join(HERE, "ipc-child.mjs"), [], { serialization: "advanced", stdio: "ignore" }));
  const waiting = new Map<number, () => void>();
  for (const child of children) child.on("message", (message) => {
    const id = (message as { id: number }).id;
    waiting.get(id)?.();
    waiting.delete(id);
  });
  let next = 0;
  let turn = 0;
  return {
    id: "ipc",
    label: "child-process IPC round trip, 2 children (Node)",
    runOne: (i) => new Promise<void>((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      children[turn++ % children.length]!.send({ id, payload: i });
    }),
    pids: () => children.map((c) => c.pid!),
    close: async () => {
      for (const child of children) child.kill();
    },
  };
}
