import type { Readable } from "node:stream";

/**
 * A spare worker's spec (runtime/spawn-worker.ts, spawnSpareWorker): the
 * first line written to its stdin. Undefined when stdin closes first: the
 * supervisor stopped, or was killed, without needing this spare.
 */
export function readSpareSpec(stdin: Readable = process.stdin): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = "";
    const finish = (spec: string | undefined) => {
      stdin.off("data", onData).off("end", onEnd).off("error", onEnd);
      // Nothing more comes on stdin: let go of it, so it keeps no worker alive.
      stdin.destroy();
      resolve(spec);
    };
    const onData = (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end >= 0) finish(text.slice(0, end));
    };
    const onEnd = () => finish(undefined);
    stdin.setEncoding("utf8");
    stdin.on("data", onData).on("end", onEnd).on("error", onEnd);
  });
}
