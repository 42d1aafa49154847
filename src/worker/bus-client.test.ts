import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { BusClient } from "./bus-client.ts";

const dir = mkdtempSync(join(tmpdir(), "lsky-bus-client-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in supervisor: collects the lines a client writes, hands out the server side of each connection. */
function fakeSupervisor(name: string) {
  const path = join(dir, name);
  const lines: unknown[] = [];
  let peer: Socket | undefined;
  const server = createServer((socket) => {
    peer = socket;
    let buffered = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf("\n"); end !== -1; end = buffered.indexOf("\n")) {
        lines.push(JSON.parse(buffered.slice(0, end)));
        buffered = buffered.slice(end + 1);
      }
    });
  });
  const listening = new Promise<void>((resolve) => server.listen(path, resolve));
  const until = async (count: number) => {
    while (lines.length < count) await new Promise((resolve) => setImmediate(resolve));
  };
  return { path, lines, listening, until, peer: () => peer!, close: () => server.close() };
}

test("connect says hello, onMessage dispatches by type, sendFinal ends the connection", async () => {
  const supervisor = fakeSupervisor("a.sock");
  await supervisor.listening;
  const drains: unknown[] = [];
  let lost = false;
  const client = await BusClient.connect(supervisor.path, 3, { drain: (m) => drains.push(m) }, () => (lost = true));
  await supervisor.until(1);
  assert.deepEqual(supervisor.lines[0], { type: "hello", slot: 3, pid: process.pid });

  supervisor.peer().write(`${JSON.stringify({ type: "drain", handover: true })}\n`);
  supervisor.peer().write(`${JSON.stringify({ type: "stats-request" })}\n`); // no handler: ignored
  while (drains.length === 0) await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(drains, [{ type: "drain", handover: true }]);

  assert.equal(client.send({ type: "ready", port: 8080 }), true);
  await client.sendFinal({ type: "recycle", reason: "max-memory" });
  await supervisor.until(3);
  assert.deepEqual(supervisor.lines.slice(1), [{ type: "ready", port: 8080 }, { type: "recycle", reason: "max-memory" }]);
  supervisor.peer().end();
  while (!lost) await new Promise((resolve) => setImmediate(resolve));
  supervisor.close();
});

test("connect rejects when no supervisor listens", async () => {
  await assert.rejects(BusClient.connect(join(dir, "missing.sock"), 1, {}, () => {}), { code: "ENOENT" });
});
