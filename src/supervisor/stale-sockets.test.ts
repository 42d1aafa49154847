import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { removeStaleSockets } from "./stale-sockets.ts";

const root = mkdtempSync(join(tmpdir(), "lsky-stale-sockets-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** Past the age under which a refused socket may still be one being set up. */
const LATER = Date.now() + 120_000;
let folders = 0;

function folder(): string {
  const dir = join(root, String(folders++));
  mkdirSync(dir);
  return dir;
}

/** A socket file whose listener was killed (SIGKILL leaves the file behind). */
function leftover(path: string): string {
  const script = `require("net").createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, "SIGKILL"))`;
  spawnSync(process.execPath, ["-e", script]);
  assert.ok(existsSync(path), "the killed process left no socket");
  return path;
}

test("sockets nothing listens on are removed: buses and control sockets", async () => {
  const dir = folder();
  for (const name of ["bus-4242.sock", "port-8123.sock", "dir-0a1b2c3d4e5f.sock"]) leftover(join(dir, name));
  assert.deepEqual((await removeStaleSockets(dir, new Set(), LATER)).sort(), ["bus-4242.sock", "dir-0a1b2c3d4e5f.sock", "port-8123.sock"]);
  assert.deepEqual(readdirSync(dir), []);
});

test("a socket a server listens on stays", async () => {
  const dir = folder();
  const path = join(dir, "port-8124.sock");
  const server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(path, resolve));
  try {
    assert.deepEqual(await removeStaleSockets(dir, new Set(), LATER), []);
    assert.ok(existsSync(path));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a refused socket younger than a minute stays: a server may be about to listen on it", async () => {
  const dir = folder();
  const path = leftover(join(dir, "bus-4243.sock"));
  assert.deepEqual(await removeStaleSockets(dir, new Set()), []);
  assert.ok(existsSync(path));
});

test("the caller's own sockets, other files and other names are left alone", async () => {
  const dir = folder();
  const own = leftover(join(dir, "bus-4244.sock"));
  const other = leftover(join(dir, "elsewhere.sock"));
  writeFileSync(join(dir, "port-8125.sock"), "a regular file with a socket's name");
  writeFileSync(join(dir, "lsky-app-0123.mjs"), "");
  assert.deepEqual(await removeStaleSockets(dir, new Set([own]), LATER), []);
  for (const name of ["bus-4244.sock", "elsewhere.sock", "port-8125.sock", "lsky-app-0123.mjs"]) assert.ok(existsSync(join(dir, name)), name);
  assert.ok(existsSync(other));
});

test("a missing directory removes nothing", async () => {
  assert.deepEqual(await removeStaleSockets(join(root, "missing"), new Set(), LATER), []);
});
