import assert from "node:assert/strict";
import { test } from "node:test";
import { parseWrkOutput, wrkArgs } from "./wrk.ts";

const REPORT = [
  "Running 2s test @ http://127.0.0.1:1234/",
  "  1 threads and 50 connections",
  "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
  "    Latency   812.33us  301.12us  12.01ms   91.20%",
  "  Latency Distribution",
  "     50%  512.00us",
  "     75%    1.00ms",
  "     90%    2.50ms",
  "     99%    1.20s ",
  "  120000 requests in 2.00s, 15.20MB read",
  "  Socket errors: connect 1, read 2, write 0, timeout 3",
  "  Non-2xx or 3xx responses: 4",
  "Requests/sec:  60000.50",
  "Transfer/sec:      7.60MB",
].join("\n");

test("parseWrkOutput reads requests/s, percentiles in any unit and errors", () => {
  const result = parseWrkOutput(REPORT);
  assert.equal(result.rps, 60000.5);
  assert.equal(result.p50, 0.512);
  assert.equal(result.p99, 1200);
  assert.equal(result.requests, 120000);
  assert.equal(result.errors, 10, "socket errors and non-2xx responses together");
});

test("parseWrkOutput: a clean run has no errors; minutes and whole-number percent lines read too", () => {
  const text = REPORT.replace(/ {2}Socket errors.*\n/, "").replace(/ {2}Non-2xx.*\n/, "").replace("99%    1.20s ", "99.000%    1.50m");
  const result = parseWrkOutput(text);
  assert.equal(result.errors, 0);
  assert.equal(result.p99, 90_000);
});

test("parseWrkOutput fails loudly without --latency output or a rate", () => {
  assert.throws(() => parseWrkOutput("Requests/sec: 1\n"), /50% latency line/);
  assert.throws(() => parseWrkOutput("     50%  1.00ms\n     99%  2.00ms\n"), /no Requests\/sec line/);
  assert.throws(() => parseWrkOutput(REPORT.replace("99%    1.20s ", "99%    1.20h")), /99% latency line/);
});

test("wrkArgs: the load, --latency, each header, the URL last", () => {
  assert.deepEqual(wrkArgs({ threads: 1, connections: 32, duration: 3 }, "http://127.0.0.1:1/x", { "accept-encoding": "br" }), [
    "-t", "1", "-c", "32", "-d", "3s", "--latency", "-H", "accept-encoding: br", "http://127.0.0.1:1/x",
  ]);
  assert.deepEqual(wrkArgs({ threads: 2, connections: 50, duration: 4 }, "http://h/").slice(-2), ["--latency", "http://h/"]);
});
