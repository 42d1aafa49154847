import assert from "node:assert/strict";
import { test } from "node:test";
import { describeTiming, parseEvery, readSchedule } from "./spec.ts";

test("parseEvery takes units down to 10 ms", () => {
  assert.equal(parseEvery("250ms"), 250);
  assert.equal(parseEvery("1.5s"), 1500);
  assert.equal(parseEvery("5m"), 300_000);
  assert.equal(parseEvery(10), 10);
  assert.throws(() => parseEvery("5ms"), /from 10 ms to 24 h/);
  assert.throws(() => parseEvery("5"), /expected a duration/);
  assert.throws(() => parseEvery("25h"), /from 10 ms to 24 h/);
});

test("readSchedule turns jobs into specs and keeps their run functions", () => {
  const run = () => {};
  const { specs, runners } = readSchedule([
    { name: "sweep", every: "100ms", run },
    { name: "report", cron: "*/2 * * * * *", overlap: true, timeout: "1.5s", run },
  ]);
  assert.deepEqual(specs, [
    { name: "sweep", every: 100, overlap: false },
    { name: "report", cron: "*/2 * * * * *", overlap: true, timeout: 1500 },
  ]);
  assert.deepEqual([...runners.keys()], ["sweep", "report"]);
  assert.equal(describeTiming(specs[0]!), "every 100ms");
  assert.equal(readSchedule(undefined).specs.length, 0);
});

test("readSchedule names the job that is wrong", () => {
  const run = () => {};
  const cases: [unknown, RegExp][] = [
    [{}, /must be an array/],
    [[{ name: "a", run }], /job "a": give exactly one of `every` and `cron`/],
    [[{ name: "a", every: "1s", cron: "* * * * *", run }], /give exactly one/],
    [[{ name: "b", cron: "61 * * * *", run }], /job "b": cannot read cron pattern "61 \* \* \* \*"/],
    [[{ name: "c", every: "1s" }], /job "c": `run` must be a function/],
    [[{ name: "tz", cron: "* * * * *", timezone: "Mars/Base", run }], /job "tz": cannot read cron pattern .*Invalid timezone 'Mars\/Base'/],
    [[{ every: "1s", run }], /job #1: `name` must be/],
    [[{ name: "d", every: "1s", run }, { name: "d", every: "2s", run }], /two scheduled jobs are named "d"/],
  ];
  for (const [schedule, message] of cases) {
    assert.throws(() => readSchedule(schedule), (error: Error & { code?: string }) => {
      assert.equal(error.code, "INVALID_SCHEDULE");
      assert.match(error.message, message);
      return true;
    });
  }
});
