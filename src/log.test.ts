import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { formatLogLine, processLineFormatter, setLogFormat, workerLineFormatter } from "./log.ts";

afterEach(() => setLogFormat("text"));

describe("log format", () => {
  test("text: lsky's lines carry [lsky] and the level, a hint goes on its own line", () => {
    assert.equal(formatLogLine("info", "hello"), "[lsky] hello\n");
    assert.equal(formatLogLine("error", "bad", { hint: "do this" }), "[lsky] error: bad\ndo this\n");
    assert.equal(workerLineFormatter(2, "stderr")("boom"), "[w2] boom");
  });

  test("json: one object per line with time, level, source and message", () => {
    setLogFormat("json");
    const line = formatLogLine("warn", "careful", { hint: "h" });
    assert.ok(line.endsWith("}\n") && !line.slice(0, -1).includes("\n"));
    const parsed = JSON.parse(line);
    assert.deepEqual([parsed.level, parsed.source, parsed.msg, parsed.hint, parsed.pid], ["warn", "lsky", "careful", "h", process.pid]);
    assert.ok(!Number.isNaN(Date.parse(parsed.time)));
  });

  test("json: a worker's plain line is wrapped; a worker's JSON line gets the worker added", () => {
    setLogFormat("json");
    const plain = JSON.parse(workerLineFormatter(3, "stdout")("hello"));
    assert.deepEqual([plain.source, plain.worker, plain.stream, plain.level, plain.msg], ["w3", 3, "stdout", "info", "hello"]);
    assert.deepEqual(JSON.parse(workerLineFormatter(3, "stdout")('{"status":200}')), { worker: 3, status: 200 });
    assert.equal(JSON.parse(workerLineFormatter(1, "stderr")("{not json")).msg, "{not json");
  });

  test("a custom process's lines carry its name, and its instance past the first", () => {
    assert.equal(processLineFormatter("mailer", 1, "stdout")("sent 3"), "[mailer] sent 3");
    assert.equal(processLineFormatter("mailer", 2, "stderr")("  at x.ts:1"), "[mailer#2]   at x.ts:1");
    setLogFormat("json");
    const plain = JSON.parse(processLineFormatter("mailer", 2, "stderr")("oops"));
    assert.deepEqual([plain.source, plain.process, plain.instance, plain.stream, plain.level, plain.msg], ["mailer#2", "mailer", 2, "stderr", "warn", "oops"]);
    assert.deepEqual(JSON.parse(processLineFormatter("mailer", 1, "stdout")('{"sent":3}')), { process: "mailer", instance: 1, sent: 3 });
  });
});
