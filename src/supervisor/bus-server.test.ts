import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { after, describe, test } from "node:test";
import type { WorkerMessage } from "../bus/protocol.ts";
import type { Logger } from "../log.ts";
import { startBusServer } from "./bus-server.ts";
import { WorkerHandle } from "./worker-handle.ts";

const dir = mkdtempSync(join(tmpdir(), "lsky-bus-server-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} } as unknown as Logger;

function handle(pid: number): WorkerHandle {
  return new WorkerHandle(1, { pid, stdout: new PassThrough(), stderr: new PassThrough(), kill: () => {}, onExit: () => {} });
}

/** A worker's whole bus life in one write: hello, its last message, the end. */
function sayAndLeave(path: string, lines: WorkerMessage[]): void {
  const socket = connect(path);
  socket.end(lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
}

describe("bus server", () => {
  test("a boot failure sent just before the exit is read even when the exit is seen before the hello", async () => {
    const worker = handle(4242);
    const heard: WorkerMessage[] = [];
    const path = join(dir, "race.sock");
    const bus = await startBusServer(path, { findWorker: (pid) => (pid === 4242 ? worker : undefined), onMessage: (_w, m) => heard.push(m), queueLimit: 1 << 20, log: quiet });
    try {
      // The exit first, as the supervisor can see it: no connection identified yet.
      const read = worker.messagesRead(1, null);
      sayAndLeave(path, [{ type: "hello", slot: 1, pid: 4242 }, { type: "boot-failed", exitCode: 1, message: "the module threw", detail: "" }]);
      await read;
      assert.deepEqual(heard.map((m) => m.type), ["boot-failed"]);
    } finally {
      bus.server.close();
    }
  });

  test("a clean exit with no connection is not waited for", async () => {
    const worker = handle(4343);
    let settled = false;
    void worker.messagesRead(0, null).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, true);
  });

  test("a connection whose hello names no worker of ours is closed", async () => {
    const path = join(dir, "stranger.sock");
    const bus = await startBusServer(path, { findWorker: () => undefined, onMessage: () => assert.fail("no message from a stranger"), queueLimit: 1 << 20, log: quiet });
    try {
      const socket = connect(path);
      socket.write(`${JSON.stringify({ type: "hello", slot: 1, pid: 1 })}\n`);
      await new Promise((resolve) => socket.on("close", resolve));
    } finally {
      bus.server.close();
    }
  });
});
