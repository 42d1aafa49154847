import assert from "node:assert/strict";
import { test } from "node:test";
import { LskyError } from "../errors.ts";
import { decodeJson, encodeJson, readTaskOptions, taskError } from "./payload.ts";

test("payloads go as JSON text; undefined as null, a Date as its string", () => {
  assert.equal(encodeJson({ a: 1, b: undefined }, 100, "payload"), '{"a":1}');
  assert.equal(encodeJson(undefined, 100, "payload"), "null");
  assert.deepEqual(decodeJson(encodeJson({ at: new Date(0) }, 100, "payload")), { at: "1970-01-01T00:00:00.000Z" });
  assert.equal(decodeJson(undefined), undefined);
});

test("a BigInt, a cycle or a payload over the limit (in UTF-8 bytes) is TASK_INVALID", () => {
  const cycle: Record<string, unknown> = {};
  cycle.self = cycle;
  for (const value of [1n, cycle]) assert.throws(() => encodeJson(value, 100, "payload"), (e: LskyError) => e.code === "TASK_INVALID");
  assert.equal(encodeJson("ééé", 8, "payload"), '"ééé"');
  assert.throws(() => encodeJson("éééé", 8, "payload"), /10 bytes of JSON, over the limit of 8/);
});

test("options: delay and timeout in ms or as durations, tries 1..100", () => {
  assert.deepEqual(readTaskOptions(), { delay: 0, tries: 1, timeout: 0 });
  assert.deepEqual(readTaskOptions({ delay: "1.5s", tries: 3, timeout: 250 }), { delay: 1500, tries: 3, timeout: 250 });
  for (const bad of [{ tries: 0 }, { tries: 1.5 }, { delay: -1 }, { timeout: "soon" }, { delay: "25h" }]) {
    assert.throws(() => readTaskOptions(bad), (e: LskyError) => e.code === "TASK_INVALID", JSON.stringify(bad));
  }
});

test("a failure becomes an LskyError with its code, the handler's error as cause", () => {
  const error = taskError({ code: "TASK_FAILED", message: "Task x failed", cause: { name: "TypeError", message: "bad", stack: "TypeError: bad\n  at x" } });
  assert.ok(error instanceof LskyError);
  assert.equal(error.code, "TASK_FAILED");
  assert.equal((error.cause as Error).name, "TypeError");
  assert.equal((error.cause as Error).message, "bad");
});
