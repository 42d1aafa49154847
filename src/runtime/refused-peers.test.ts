import assert from "node:assert/strict";
import { test } from "node:test";
import { RefusedPeers } from "./refused-peers.ts";

test("a refused peer is known until its time runs out", () => {
  const peers = new RefusedPeers(1000, 10);
  peers.add("127.0.0.1:5000", 0);
  assert.equal(peers.has("127.0.0.1:5000", 999), true);
  assert.equal(peers.has("127.0.0.1:5001", 999), false);
  assert.equal(peers.has("127.0.0.1:5000", 1000), false);
  assert.equal(peers.size, 0);
});

test("the set is bounded: the oldest entries go first", () => {
  const peers = new RefusedPeers(1000, 2);
  for (const port of [1, 2, 3]) peers.add(`h:${port}`, 0);
  assert.equal(peers.size, 2);
  assert.equal(peers.has("h:1", 0), false);
  assert.equal(peers.has("h:3", 0), true);
});
