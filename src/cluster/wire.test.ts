import assert from "node:assert/strict";
import { test } from "node:test";
import { allNodesChannel, type ClusterMessage, decodeMessage, encodeEntry, encodeMessage, encodePublishes, nodeChannel } from "./wire.ts";

test("channels: one shared by all nodes, one per node, under the cluster's prefix", () => {
  assert.equal(allNodesChannel("lsky"), "lsky:cluster:all");
  assert.equal(nodeChannel("lsky", "web-a"), "lsky:cluster:node:web-a");
  assert.equal(allNodesChannel("shop:eu"), "shop:eu:cluster:all");
  assert.equal(nodeChannel("shop:eu", "web-a"), "shop:eu:cluster:node:web-a");
});

test("every kind of message comes back as it was sent", () => {
  const messages: ClusterMessage[] = [
    { k: "pub", n: "a", m: [{ t: "news", d: { x: 1 } }, { t: "empty" }] },
    { k: "ask", n: "a", id: 7, w: 2, t: "lsky:ws:send", d: { id: "b~2-x-1", s: "hi" } },
    { k: "sum", n: "a", id: 8, t: "lsky:ws:count", d: { topic: "room" } },
    { k: "rep", n: "b", id: 7, d: true },
    { k: "rep", n: "b", id: 9, e: { code: "BUS_TIMEOUT", message: "late" } },
  ];
  for (const message of messages) assert.deepEqual(decodeMessage(encodeMessage(message)), message);
});

test("anything else on the channel is ignored", () => {
  const junk = [
    "not json", "null", "42", '"text"', "{}", '{"k":"pub","m":[]}', '{"k":"pub","n":"a","m":[{"d":1}]}',
    '{"k":"ask","n":"a","id":-1,"w":1,"t":"x"}', '{"k":"ask","n":"a","id":1,"w":1}', '{"k":"sum","n":"a","id":1.5,"t":"x"}',
    '{"k":"rep","n":"a","id":1,"e":"boom"}', '{"k":"other","n":"a"}',
  ];
  for (const text of junk) assert.equal(decodeMessage(text), undefined, text);
});

test("publishes encoded one by one make the same message", () => {
  const text = encodePublishes("we\"ird", [encodeEntry("news", { x: [1, "é"] }), encodeEntry("empty", undefined)]);
  assert.deepEqual(decodeMessage(text), { k: "pub", n: "we\"ird", m: [{ t: "news", d: { x: [1, "é"] } }, { t: "empty" }] });
});
