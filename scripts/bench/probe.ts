import { request } from "node:http";

const PROBE_TIMEOUT_MS = 2_000;

/**
 * GETs a path on a fresh connection (no keep-alive agent, so SO_REUSEPORT and
 * cluster spread successive probes over the workers) and returns the body,
 * or undefined when the server does not answer 200.
 */
export function fetchFresh(port: number, path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false, timeout: PROBE_TIMEOUT_MS }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve(res.statusCode === 200 ? body : undefined));
      res.on("error", () => resolve(undefined));
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

/**
 * Polls a condition until it holds, never for a guessed time: fails with the
 * description once `timeoutMs` has passed.
 */
export async function waitUntil<T>(
  description: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  intervalMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Waits until `count` distinct app instances (workers, or isolates of
 * `deno serve --parallel`) have answered /instance, so a multi-worker
 * candidate is measured only once all of its workers serve. `alive` stops the
 * wait early when the candidate died.
 */
export async function waitForInstances(port: number, count: number, timeoutMs: number, alive: () => string | undefined): Promise<Set<string>> {
  const seen = new Set<string>();
  return waitUntil(`${count} instance(s) answering on port ${port}`, async () => {
    const died = alive();
    if (died !== undefined) throw new Error(`The candidate exited before it served:\n${died}`);
    const body = await fetchFresh(port, "/instance");
    if (body) seen.add(body);
    return seen.size >= count ? seen : undefined;
  }, timeoutMs);
}
