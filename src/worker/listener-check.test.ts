import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createListenerCheck, type ListenRow, parseListenRows } from "./listener-check.ts";

const HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

describe("parseListenRows", () => {
  test("reads port, accept queue and inode of LISTEN rows only", () => {
    const text = HEADER +
      "   0: 00000000:1F90 00000000:0000 0A 00000000:00000005 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n" +
      "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 20 4 30 10 -1\n";
    assert.deepEqual(parseListenRows(text), [{ port: 8080, queued: 5, inode: "4242" }]);
  });
});

function facts(rows: () => ListenRow[]) {
  return { socketInodes: () => new Set(["7"]), listenRows: rows };
}

describe("createListenerCheck", () => {
  test("dead after three idle samples with connections waiting on its own listener", () => {
    const check = createListenerCheck(80, facts(() => [{ port: 80, queued: 3, inode: "7" }, { port: 80, queued: 0, inode: "8" }]));
    assert.deepEqual([check.sample(5, false), check.sample(5, false), check.sample(5, false), check.sample(5, false)], [false, false, false, true]);
  });

  test("serving requests, an empty queue, or no descriptors reset the count", () => {
    let queued = 2;
    const check = createListenerCheck(80, facts(() => [{ port: 80, queued, inode: "7" }]));
    check.sample(1, false);
    check.sample(1, false);
    check.sample(2, false); // served one: alive
    check.sample(2, false);
    check.sample(2, true); // exhausted: no verdict
    check.sample(2, false);
    check.sample(2, false);
    queued = 0;
    assert.equal(check.sample(2, false), false);
  });

  test("another process's queue on the same port is not ours", () => {
    const check = createListenerCheck(80, facts(() => [{ port: 80, queued: 9, inode: "8" }, { port: 80, queued: 0, inode: "7" }]));
    for (let i = 0; i < 6; i++) assert.equal(check.sample(0, false), false);
  });
});
