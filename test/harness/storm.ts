import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./targets.ts";

export interface StormResult {
  requests: number;
  ok: number;
  non2xx: number;
  errors: Record<string, number>;
  failures: number;
}

export interface Storm {
  /** Ends the storm and resolves with its counts. */
  stop(): Promise<StormResult>;
}

/**
 * Starts test/harness/storm-client.mjs (optionally inside a namespace); it
 * runs until stop() or, as a safety bound, `maxSeconds`.
 */
export function startStorm(url: string, concurrency: number, maxSeconds: number, prefix: string[] = []): Storm {
  const script = join(ROOT, "test", "harness", "storm-client.mjs");
  const [command, ...args] = [...prefix, process.execPath, script, url, String(concurrency), String(maxSeconds)];
  const child = spawn(command!, args, { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
  const result = new Promise<StormResult>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`storm client exited with ${code}`));
      const counts = JSON.parse(output) as Omit<StormResult, "failures">;
      const errors = Object.values(counts.errors).reduce((a, b) => a + b, 0);
      resolve({ ...counts, failures: counts.non2xx + errors });
    });
  });
  return {
    stop: () => {
      // Signal the node process itself: through `ip netns exec` it is the same process (exec).
      child.kill("SIGTERM");
      return result;
    },
  };
}
