import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { pipeLines, prefixLines } from "./log-lines.ts";

describe("prefixLines", () => {
  test("prefixes one line and ends it with a newline", () => {
    assert.equal(prefixLines("hello", "[w1]"), "[w1] hello\n");
  });

  test("prefixes every line of a block", () => {
    assert.equal(prefixLines("Error: x\n    at f (a.ts:1:1)", "[w2]"), "[w2] Error: x\n[w2]     at f (a.ts:1:1)\n");
  });

  test("keeps blank lines, prefixed", () => {
    assert.equal(prefixLines("a\n\nb", "[w1]"), "[w1] a\n[w1] \n[w1] b\n");
  });
});

describe("pipeLines", () => {
  function collect(): { target: PassThrough; text: () => string } {
    const target = new PassThrough();
    let text = "";
    target.setEncoding("utf8").on("data", (s: string) => (text += s));
    return { target, text: () => text };
  }

  test("holds a partial line until its end arrives, so lines never split", async () => {
    const source = new PassThrough();
    const { target, text } = collect();
    pipeLines(source, target, "[w1]");
    source.write("hel");
    await new Promise(setImmediate);
    assert.equal(text(), "");
    source.write("lo\nwor");
    await new Promise(setImmediate);
    assert.equal(text(), "[w1] hello\n");
    source.end("ld\n");
    await new Promise(setImmediate);
    assert.equal(text(), "[w1] hello\n[w1] world\n");
  });

  test("flushes a last line without a newline when the source ends", async () => {
    const source = new PassThrough();
    const { target, text } = collect();
    pipeLines(source, target, "[w3]");
    source.end("a\nlast words");
    await new Promise((resolve) => source.once("end", resolve));
    await new Promise(setImmediate);
    assert.equal(text(), "[w3] a\n[w3] last words\n");
  });

  test("keeps a character split across chunks whole", async () => {
    const source = new PassThrough();
    const { target, text } = collect();
    pipeLines(source, target, "[w1]");
    const bytes = Buffer.from("é\n");
    source.write(bytes.subarray(0, 1));
    source.end(bytes.subarray(1));
    await new Promise((resolve) => source.once("end", resolve));
    await new Promise(setImmediate);
    assert.equal(text(), "[w1] é\n");
  });
});
