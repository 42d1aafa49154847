import assert from "node:assert/strict";
import { test } from "node:test";
import { parseListen } from "./parse-edges.ts";
import { socketPathForSlot, socketPaths } from "./unix-socket.ts";

test("Node shares one socket among its workers; Bun and Deno get one per worker when there are several", () => {
  const settings = { listen: "unix:/run/app.sock", workers: 3 };
  assert.deepEqual(socketPaths(settings, "node"), ["/run/app.sock"]);
  assert.deepEqual(socketPaths(settings, "bun"), ["/run/app.sock.1", "/run/app.sock.2", "/run/app.sock.3"]);
  assert.equal(socketPathForSlot(settings, "deno", 2), "/run/app.sock.2");
  assert.equal(socketPathForSlot(settings, "node", 2), "/run/app.sock");
  assert.deepEqual(socketPaths({ ...settings, workers: 1 }, "deno"), ["/run/app.sock"]);
});

test("TCP has no socket paths", () => {
  assert.deepEqual(socketPaths({ listen: "", workers: 2 }, "bun"), []);
  assert.equal(socketPathForSlot({ listen: "", workers: 2 }, "bun", 1), undefined);
});

test("--listen takes unix:PATH only", () => {
  assert.equal(parseListen(" unix:/tmp/a.sock "), "unix:/tmp/a.sock");
  assert.equal(parseListen(""), "");
  assert.throws(() => parseListen("127.0.0.1:80"), /expected "unix:\/path\/to\/socket"/);
  assert.throws(() => parseListen("unix:"), /expected "unix:/);
  assert.throws(() => parseListen(`unix:/${"x".repeat(120)}`), /at most 100 bytes/);
});
