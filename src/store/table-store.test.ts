import assert from "node:assert/strict";
import { test } from "node:test";
import { TableStore } from "./table-store.ts";

const spec = { size: 2, columns: { hits: "int", score: "float", name: "string:4" } } as const;
const code = (c: string) => (error: unknown) => (error as { code?: string }).code === c;

test("a new row starts at zero and empty, and set writes only the columns given", () => {
  const table = new TableStore("stats", spec);
  table.set("a", { name: "bob" });
  assert.deepEqual(table.get("a"), { hits: 0, score: 0, name: "bob" });
  table.set("a", { hits: 7 });
  assert.deepEqual(table.get("a"), { hits: 7, score: 0, name: "bob" });
  assert.equal(table.get("missing"), undefined);
  assert.equal(table.getJson("a"), '{"hits":7,"score":0,"name":"bob"}');
});

test("a value the column cannot hold is refused whole, never truncated or rounded", () => {
  const table = new TableStore("stats", spec);
  table.set("a", { hits: 1, name: "ok" });
  assert.throws(() => table.set("a", { hits: 2, name: "too long" }), code("TABLE_VALUE"));
  assert.throws(() => table.set("a", { hits: 2, name: "ééé" }), /6 bytes, over the column's 4/);
  assert.throws(() => table.set("a", { hits: 1.5 }), code("TABLE_VALUE"));
  assert.throws(() => table.set("a", { hits: 2 ** 53 }), code("TABLE_VALUE"));
  assert.throws(() => table.set("a", { hits: "1" }), code("TABLE_VALUE"));
  assert.throws(() => table.set("a", { score: null }), code("TABLE_VALUE"));
  assert.throws(() => table.set("a", { name: 5 }), code("TABLE_VALUE"));
  assert.throws(() => table.set("a", { hits: 2, colour: "red" }), /no column "colour"/);
  assert.throws(() => table.set("a", [1]), code("TABLE_VALUE"));
  assert.deepEqual(table.get("a"), { hits: 1, score: 0, name: "ok" });
});

test("a full table refuses a new row with TABLE_FULL and still updates the rows it has", () => {
  const table = new TableStore("stats", spec);
  table.set("a", { hits: 1 });
  table.incr("b", "hits", 1);
  assert.throws(() => table.set("c", { hits: 1 }), code("TABLE_FULL"));
  assert.throws(() => table.incr("c", "hits", 1), code("TABLE_FULL"));
  table.set("a", { hits: 2 });
  assert.equal(table.count(), 2);
  assert.equal(table.del("a"), true);
  assert.equal(table.del("a"), false);
  table.set("c", { hits: 3 });
  assert.deepEqual(table.get("c"), { hits: 3, score: 0, name: "" });
  assert.deepEqual(table.keys(), ["b", "c"]);
});

test("incr adds to number columns, creates the row, and refuses what would leave the column's range", () => {
  const table = new TableStore("stats", spec);
  assert.equal(table.incr("a", "hits", 1), 1);
  assert.equal(table.incr("a", "hits", -3), -2);
  assert.equal(table.incr("a", "score", 0.5), 0.5);
  assert.throws(() => table.incr("a", "hits", 0.5), code("TABLE_VALUE"));
  assert.throws(() => table.incr("a", "name", 1), /string column/);
  assert.throws(() => table.incr("a", "nope", 1), /no such column/);
  table.set("a", { hits: Number.MAX_SAFE_INTEGER });
  assert.throws(() => table.incr("a", "hits", 1), /out of the column's range/);
  assert.equal(table.get("a")?.hits, Number.MAX_SAFE_INTEGER);
});

test("a deleted row's slot comes back clean", () => {
  const table = new TableStore("stats", { size: 1, columns: spec.columns });
  table.set("a", { hits: 5, name: "x" });
  table.del("a");
  table.set("b", { score: 1 });
  assert.deepEqual(table.get("b"), { hits: 0, score: 1, name: "" });
});
