// The scanner's tricky cases. Run by `npm run check:functions`.
import assert from "node:assert/strict";
import { test } from "node:test";
import { blankNonCode, scanFunctions } from "./check-function-length.mjs";

const spans = (text) => scanFunctions(text).map((fn) => `${fn.name}:${fn.first}-${fn.last}`);
const body = (n) => Array.from({ length: n }, (_, i) => `  x${i}();`).join("\n");

test("declarations, methods, arrows with block bodies, getters, generics", () => {
  const text = [
    "export async function a(x: number): Promise<void> {", body(1), "}",
    "class C {", "  get g(): number {", "    return 1;", "  }", "  m<T>(t: T) {", "    return t;", "  }", "}",
    "const f = async (y: string) => {", body(1), "};",
    "const h = z => {", "};",
    "const o = { k(): { a: number } {", "  return { a: 1 };", "} };",
  ].join("\n");
  assert.deepEqual(spans(text), ["a:1-3", "g:5-7", "m:8-10", "f:12-14", "h:15-16", "k:17-19"]);
});

test("statement blocks, object literals, interfaces and arrow expression bodies are no functions", () => {
  const text = [
    "if (a) {", "}", "for (const x of y) {", "}", "while (b) {", "}", "switch (c) {", "}",
    "try {", "} catch (e) {", "}", "const o = { a: 1 };", "interface I {", "  a: string;", "}",
    "const g = () => ({ a: 1 });", "type F = { a: (x: number) => void };",
  ].join("\n");
  assert.deepEqual(spans(text), []);
});

test("braces in strings, templates, comments and regular expressions do not count", () => {
  const text = [
    "function a() {",
    "  const s = '}' + \"{\" + `}${ '}' }{`;",
    "  // }",
    "  /* } */",
    "  const r = /[}]\\/}/g;",
    "  const t = `${(() => { return '}'; })()}`;",
    "  return s.length / 2 / 1;",
    "}",
    "function b() {",
    "}",
  ].join("\n");
  assert.deepEqual(spans(text), ["a:1-8", "(anonymous):6-6", "b:9-10"]);
  assert.equal(blankNonCode("a('{') // }"), "a(' ')     ");
});

test("length counts from the parameter list to the closing brace; a long: comment excuses it", () => {
  const text = [
    "// long: one state machine, split it reads worse",
    "function a(", "  x: number,", ") {", body(3), "}",
    "/** Doc. */",
    "function b() {", body(2), "}",
  ].join("\n");
  const [a, b] = scanFunctions(text);
  assert.deepEqual([a.first, a.last, a.length, a.reason], [2, 8, 7, "one state machine, split it reads worse"]);
  assert.deepEqual([b.first, b.length, b.reason], [10, 4, undefined]);
});

test("a long: comment above a doc comment block counts", () => {
  const text = ["// long: reason here", "/**", " * Doc.", " */", "function a() {", "}"].join("\n");
  assert.equal(scanFunctions(text)[0].reason, "reason here");
});
