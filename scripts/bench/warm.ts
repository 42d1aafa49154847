// A bounded warm-up: a fixed number of requests over a few keep-alive
// connections (not a fixed time, so every server handles the same work), then
// a wait until the server's processes stop using CPU (idle, by condition).
import { Agent, request } from "node:http";
import { snapshotCpu } from "./cpu.ts";
import { waitUntil } from "./probe.ts";

function get(agent: Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url} answered ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sends `total` GETs to `url`, `connections` at a time on keep-alive connections. */
export async function warmWith(url: string, total: number, connections: number): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  let left = total;
  const loop = async () => {
    while (left > 0) {
      left--;
      await get(agent, url);
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, loop));
  } finally {
    agent.destroy();
  }
}

const totalTicks = (pgids: number[]) => [...snapshotCpu(pgids).values()].reduce((sum, t) => sum + t, 0);

/** Resolves once the process groups used no CPU tick over `quietMs` (timers may tick: at most `slackTicks`). */
export function waitIdle(pgids: number[], quietMs = 1_000, timeoutMs = 20_000, slackTicks = 1): Promise<true> {
  let last = totalTicks(pgids);
  let since = Date.now();
  return waitUntil("the server to go idle", () => {
    const now = totalTicks(pgids);
    if (now - last > slackTicks) [last, since] = [now, Date.now()];
    return Date.now() - since >= quietMs ? true : undefined;
  }, timeoutMs, 100);
}
