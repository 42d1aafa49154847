import assert from "node:assert/strict";
import { test } from "node:test";
import { SpawnRefusedError } from "../runtime/spawn-worker.ts";
import { describeSpawnFailure, explainSpawnError, readOpenFilesLimit } from "./spawn-failure.ts";

function errno(code: string, message = `spawn ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

test("EMFILE names too many open files and the limit", () => {
  const text = explainSpawnError(errno("EMFILE"), 64);
  assert.match(text, /too many open files/);
  assert.match(text, /limit of 64/);
  assert.match(text, /ulimit -n/);
  assert.match(explainSpawnError(errno("EMFILE"), undefined), /reached its limit open descriptors/);
});

test("other host errors are named; unknown ones keep the engine's message", () => {
  assert.match(explainSpawnError(errno("ENFILE"), 64), /file-max/);
  assert.match(explainSpawnError(errno("EAGAIN"), 64), /too many processes/);
  assert.equal(explainSpawnError(errno("EWHAT", "odd"), 64), "odd (EWHAT)");
  assert.equal(explainSpawnError(new Error("plain"), 64), "plain");
});

test("a refused start is explained by the reason that arrives a tick later", async () => {
  const reason = new Promise<Error>((resolve) => setImmediate(() => resolve(errno("EMFILE"))));
  assert.match(await describeSpawnFailure(new SpawnRefusedError("could not start x", reason)), /too many open files/);
});

test("the open-files limit is read on Linux", () => {
  if (process.platform === "linux") assert.ok((readOpenFilesLimit() ?? 0) > 0);
});
