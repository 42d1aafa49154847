import assert from "node:assert/strict";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, test } from "node:test";
import { MAX_BATCH_ENTRIES } from "../http/access-log/batched-writer.ts";
import { type AccessEntry, formatAccessJson, formatAccessText } from "../http/access-log/format.ts";
import { setLogFormat, workerLineFormatter } from "../log.ts";
import { ACCESS_LOG_FD_ENV } from "../runtime/role-names.ts";
import { createAccessLogSink, labelledFormat, takeAccessLogFd } from "./access-log-pipe.ts";

const entry: AccessEntry = {
  time: "2026-12-01T11:00:00.000Z", worker: 2, client: "203.0.113.7", method: "GET", path: "/a?b=1", status: 200, bytes: 13, durationMs: 0.25,
};

describe("takeAccessLogFd", () => {
  test("reads the descriptor and takes it out of the environment", () => {
    const env: NodeJS.ProcessEnv = { [ACCESS_LOG_FD_ENV]: "3", OTHER: "x" };
    assert.equal(takeAccessLogFd(env), 3);
    assert.deepEqual(env, { OTHER: "x" });
  });

  test("none, a standard stream or a word is no pipe", () => {
    for (const value of [undefined, "0", "2", "-1", "3.5", "three", ""]) {
      assert.equal(takeAccessLogFd(value === undefined ? {} : { [ACCESS_LOG_FD_ENV]: value }), undefined, String(value));
    }
  });
});

describe("labelledFormat", () => {
  afterEach(() => setLogFormat("text"));

  test("text: the line the supervisor printed for the worker's stdout line", () => {
    setLogFormat("text");
    assert.equal(labelledFormat("text", 2)(entry), workerLineFormatter(2, "stdout")(formatAccessText(entry)));
    assert.equal(labelledFormat("text", 2)(entry), '[w2] 2026-12-01T11:00:00.000Z 203.0.113.7 "GET /a?b=1" 200 13 0.25ms');
  });

  test("json: the object the supervisor printed, byte for byte, the worker first", () => {
    setLogFormat("json");
    assert.equal(labelledFormat("json", 2)(entry), workerLineFormatter(2, "stdout")(formatAccessJson(entry)));
    assert.deepEqual(Object.keys(JSON.parse(labelledFormat("json", 2)(entry))), ["worker", "type", "time", "client", "method", "path", "status", "bytes", "durationMs"]);
  });
});

describe("createAccessLogSink", () => {
  test("with a descriptor, writes labelled lines to it, a full batch at once", () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-access-"));
    const fd = openSync(join(dir, "log"), "w");
    try {
      const record = createAccessLogSink("text", 2, { [ACCESS_LOG_FD_ENV]: String(fd) });
      // A full batch is written at once.
      for (let i = 0; i < MAX_BATCH_ENTRIES; i++) record({ ...entry, path: `/${i}` });
      const lines = readFileSync(join(dir, "log"), "utf8").split("\n");
      assert.equal(lines.length, MAX_BATCH_ENTRIES + 1);
      assert.equal(lines[0], '[w2] 2026-12-01T11:00:00.000Z 203.0.113.7 "GET /0" 200 13 0.25ms');
      assert.equal(lines[MAX_BATCH_ENTRIES - 1], `[w2] 2026-12-01T11:00:00.000Z 203.0.113.7 "GET /${MAX_BATCH_ENTRIES - 1}" 200 13 0.25ms`);
      assert.equal(lines[MAX_BATCH_ENTRIES], "");
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
