import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openChannel } from "../bus/ndjson.ts";
import { isLskyError } from "../errors.ts";
import { claimControlSocket, claimControlSocketOrFail } from "./control-probe.ts";

const dir = mkdtempSync(join(tmpdir(), "lsky-control-probe-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("nothing at the path: nothing to do", async () => {
  assert.equal(await claimControlSocket(join(dir, "dir-none.sock")), undefined);
});

test("a socket whose server was killed is removed", async () => {
  const path = join(dir, "dir-stale.sock");
  // A process that listens and dies by SIGKILL leaves its socket file behind.
  const script = `require("net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`;
  spawnSync(process.execPath, ["-e", script]);
  assert.ok(existsSync(path), "the killed process left no socket");
  assert.equal(await claimControlSocket(path), undefined);
  assert.equal(existsSync(path), false);
});

test("a live server is an error naming its pid and port; its socket stays", async () => {
  const path = join(dir, "port-8123.sock");
  const server = createServer((socket) => {
    const channel = openChannel(socket, () => {
      channel.send({ ok: true, data: { pid: 4242, port: 8123, host: "127.0.0.1" } });
      channel.close();
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    assert.deepEqual(await claimControlSocket(path), { pid: 4242, port: 8123, host: "127.0.0.1" });
    const error = await claimControlSocketOrFail(path).then(() => undefined, (e: unknown) => e);
    assert.ok(isLskyError(error), String(error));
    assert.equal(error.code, "SERVER_RUNNING");
    assert.equal(error.exitCode, 1);
    assert.equal(error.message, "Cannot start: another lsky server (pid 4242, port 8123) is running on port 8123");
    assert.ok(existsSync(path));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
