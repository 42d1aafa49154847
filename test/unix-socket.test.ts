import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent } from "node:http";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { startRequestLoop } from "./harness/request-loop.ts";
import { fixture } from "./harness/targets.ts";
import { unixRequest } from "./harness/unix-http.ts";
import { waitFor } from "./harness/wait.ts";
import { hostMigrates, toleratedResets } from "./harness/reset-bound.ts";
import { describeTargets } from "./harness/describe-targets.ts";

const dir = mkdtempSync(join(tmpdir(), "lsky-unix-"));
after(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describeTargets("Unix socket", (target) => {
  const socket = join(dir, `${target.name}.sock`);
  // Node shares one socket through the cluster primary; Bun and Deno get one per worker.
  const paths = target.engine === "node" ? [socket] : [`${socket}.1`, `${socket}.2`];

  test("serves on the socket(s) named in the start line, removes a stale socket first, and cleans up", async () => {
    for (const path of paths) makeStaleSocket(path);
    const server = await startLsky(target, [fixture("whoami.ts"), "--workers", "2", "--listen", `unix:${socket}`, "--trust-proxy", "unix"], { port: false, waitReady: false });
    await server.waitForOutput(/serving .* at unix:/, 30_000);
    assert.match(server.stdout(), new RegExp(`at unix:${paths.join(",")}${paths.length > 1 ? " \\(one socket per worker\\)" : ""} `));
    for (const path of paths) {
      const response = await unixRequest(path, "/u?v=1", { headers: { "x-forwarded-for": "192.0.2.44", "x-forwarded-proto": "https" } });
      assert.equal(response.status, 200);
      const seen = JSON.parse(response.body);
      assert.equal(seen.url, "https://lsky.test/u?v=1");
      assert.equal(seen.client, "192.0.2.44");
    }
    const plain = JSON.parse((await unixRequest(paths[0]!, "/p")).body);
    assert.deepEqual([plain.url, plain.transport, plain.client], ["http://lsky.test/p", "unix", ""]);

    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const load = startRequestLoop(async () => (await unixRequest(paths[0]!, "/load", { agent })).status === 200);
    await waitFor("some requests before the reload", () => load.ok >= 20);
    const reload = await runLsky(target, ["reload"]);
    assert.equal(reload.code, 0, reload.stderr);
    const afterReload = load.ok;
    await waitFor("requests after the reload", () => load.ok >= afterReload + 20).catch((error: Error) => {
      throw new Error(`${error.message}; ${load.failed} failed: ${load.failures.join("; ")}`);
    });
    await load.stop();
    agent.destroy();
    const bound = toleratedResets({ engine: target.engine, migrate: hostMigrates(), newConnections: 0, unixSocket: true });
    assert.ok(load.failed <= bound, `failed requests during reload (at most ${bound} tolerated): ${load.failures.join("; ")}`);
    const status = await runLsky(target, ["status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, new RegExp(`listening unix:${paths.join(",")}  app`));

    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    for (const path of paths) assert.equal(existsSync(path), false, `${path} left behind`);
  });

  test("refuses a socket another server listens on, and a path that is not a socket", async () => {
    const busy = join(dir, `${target.name}-busy.sock`);
    const other: Server = await new Promise((resolve) => {
      const s = createServer().listen(busy, () => resolve(s));
    });
    const single = ["--workers", "1", "--port", "0"];
    const inUse = await runLsky(target, ["serve", fixture("whoami.ts"), ...single, "--listen", `unix:${busy}`]);
    other.close();
    assert.equal(inUse.code, 1);
    assert.match(inUse.stderr, /Cannot listen on unix:.*busy\.sock: a server is listening on it/);

    const file = join(dir, `${target.name}-file`);
    writeFileSync(file, "not a socket");
    const notSocket = await runLsky(target, ["serve", fixture("whoami.ts"), ...single, "--listen", `unix:${file}`]);
    assert.equal(notSocket.code, 1);
    assert.match(notSocket.stderr, /the path exists and is not a socket/);
  });
});

/** Leaves a socket file nothing listens on, as a killed server does. */
function makeStaleSocket(path: string): void {
  rmSync(path, { force: true });
  // A child process binds the path and is killed, so the file stays behind.
  const script = `require("net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`;
  spawnSync(process.execPath, ["-e", script], { stdio: "ignore", timeout: 20_000 });
  assert.equal(existsSync(path), true, "the stale socket was not made");
}
