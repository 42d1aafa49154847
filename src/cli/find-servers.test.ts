import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { findServers } from "./find-servers.ts";

const dir = mkdtempSync(join(tmpdir(), "lsky-find-servers-"));
const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A control socket that answers every request with a status report of `pid`. */
function fakeControl(name: string, pid: number): Promise<void> {
  const server = createServer((socket) => {
    socket.once("data", () => socket.end(`${JSON.stringify({ ok: true, data: { pid, cwd: `/srv/${pid}` } })}\n`));
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(join(dir, name), resolve));
}

test("one row per supervisor (its dir and port sockets merged); stale sockets and other files skipped", async () => {
  await fakeControl("dir-aaaa.sock", 300);
  await fakeControl("port-8000.sock", 300);
  await fakeControl("port-9000.sock", 42);
  writeFileSync(join(dir, "port-7000.sock"), ""); // left by a server killed with SIGKILL: nobody answers
  await fakeControl("bus-300.sock", 999); // a supervisor's private bus, not a control socket
  const found = await findServers(dir);
  assert.deepEqual(found.map((s) => [s.report.pid, s.report.cwd]), [[42, "/srv/42"], [300, "/srv/300"]]);
});
