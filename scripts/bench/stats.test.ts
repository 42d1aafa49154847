import assert from "node:assert/strict";
import { test } from "node:test";
import { median, medianRatio } from "./stats.ts";
import { parseWrkOutput } from "./wrk.ts";

test("median of odd and even counts, NaN for none", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test("medianRatio pairs rounds and skips missing ones", () => {
  assert.equal(medianRatio([90, 100, 50], [100, 100, 100]), 0.9);
  assert.equal(medianRatio([90, undefined], [100, 100]), 0.9);
});

test("parseWrkOutput reads requests/s, percentiles in any unit and errors", () => {
  const text = [
    "Running 2s test @ http://127.0.0.1:1234/",
    "  1 threads and 50 connections",
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
  const result = parseWrkOutput(text);
  assert.equal(result.rps, 60000.5);
  assert.equal(result.p50, 0.512);
  assert.equal(result.p99, 1200);
  assert.equal(result.requests, 120000);
  assert.equal(result.errors, 10);
});

test("parseWrkOutput fails loudly without --latency output", () => {
  assert.throws(() => parseWrkOutput("Requests/sec: 1\n"), /% latency line/);
});
