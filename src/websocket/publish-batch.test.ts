import assert from "node:assert/strict";
import { test } from "node:test";
import { BATCH_CHARS, type PublishEntry, PublishBatcher } from "./publish-batch.ts";

function harness() {
  const sent: PublishEntry[][] = [];
  const turns: (() => void)[] = [];
  const batcher = new PublishBatcher((entries) => sent.push(entries), (run) => turns.push(run));
  const endTurn = () => turns.splice(0).forEach((run) => run());
  return { sent, batcher, endTurn, turns };
}

test("the publishes of one turn leave as one bus message, in order", () => {
  const { sent, batcher, endTurn, turns } = harness();
  batcher.add({ t: "a", s: "1" });
  batcher.add({ t: "b", s: "2", x: "1-k-3" });
  batcher.add({ t: "a", b: "AAE=" });
  assert.equal(sent.length, 0);
  assert.equal(turns.length, 1, "one flush scheduled per turn");
  endTurn();
  assert.deepEqual(sent, [[{ t: "a", s: "1" }, { t: "b", s: "2", x: "1-k-3" }, { t: "a", b: "AAE=" }]]);
  batcher.add({ t: "a", s: "3" });
  endTurn();
  assert.deepEqual(sent[1], [{ t: "a", s: "3" }]);
});

test("flush sends at once (a send must not overtake a publish) and leaves nothing for the turn's end", () => {
  const { sent, batcher, endTurn } = harness();
  batcher.add({ t: "a", s: "1" });
  batcher.flush();
  assert.deepEqual(sent, [[{ t: "a", s: "1" }]]);
  endTurn();
  batcher.flush();
  assert.equal(sent.length, 1);
});

test("a batch never grows past the limit, and a larger publish goes alone and at once, after what was gathered", () => {
  const { sent, batcher, endTurn } = harness();
  const half = "x".repeat(BATCH_CHARS / 2);
  batcher.add({ t: "a", s: half });
  batcher.add({ t: "a", s: half });
  assert.equal(sent.length, 1, "the second half would pass the limit: the first went out");
  const big = "y".repeat(BATCH_CHARS + 1);
  batcher.add({ t: "a", s: big });
  assert.deepEqual(sent.map((batch) => batch.map((entry) => entry.s!.length)), [[half.length], [half.length], [big.length]]);
  endTurn();
  assert.equal(sent.length, 3);
});
