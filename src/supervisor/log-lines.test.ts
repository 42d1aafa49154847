import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { type ByteLineTarget, MAX_PARTIAL_LINE, passLines, pipeLines, prefixLines } from "./log-lines.ts";

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

  test("stops reading while the target is pressed and resumes once it is relieved", async () => {
    const source = new PassThrough();
    const written: string[] = [];
    let relieve!: () => void;
    let pressed = true;
    const target = {
      write: (text: string) => void written.push(text),
      pressed: () => pressed,
      whenRelieved: () => new Promise<void>((resolve) => (relieve = resolve)),
    };
    const ended = pipeLines(source, target, "[w1]");
    source.write("one\n");
    await new Promise(setImmediate);
    assert.equal(source.isPaused(), true);
    source.write("two\n");
    await new Promise(setImmediate);
    assert.deepEqual(written, ["[w1] one\n"], "nothing more is read while held");
    pressed = false;
    relieve();
    await new Promise(setImmediate);
    assert.deepEqual(written, ["[w1] one\n", "[w1] two\n"]);
    source.end("three");
    await ended;
    assert.deepEqual(written.at(-1), "[w1] three\n", "resolves after the last partial line");
  });

  test("a line longer than the cap without a newline is relayed in pieces rather than held whole", async () => {
    const source = new PassThrough();
    const written: string[] = [];
    void pipeLines(source, { write: (text: string) => void written.push(text) }, "[w1]");
    source.write("y".repeat(MAX_PARTIAL_LINE + 1));
    await new Promise(setImmediate);
    assert.equal(written.length, 1);
    assert.equal(written[0]!.length, "[w1] ".length + MAX_PARTIAL_LINE + 2);
  });
});

describe("passLines", () => {
  function collectBytes(): { target: ByteLineTarget; writes: string[] } {
    const writes: string[] = [];
    return { writes, target: { writeBytes: (bytes) => void writes.push(Buffer.from(bytes).toString("utf8")) } };
  }

  test("passes whole lines on as they came, holding a partial one until its end", async () => {
    const source = new PassThrough();
    const { target, writes } = collectBytes();
    const ended = passLines(source, target);
    source.write("[w1] one\n[w1] tw");
    await new Promise(setImmediate);
    assert.deepEqual(writes, ["[w1] one\n"]);
    source.write("o\n");
    source.end("[w1] last");
    await ended;
    assert.deepEqual(writes, ["[w1] one\n", "[w1] two\n", "[w1] last\n"], "a last line without a newline is ended");
  });

  test("keeps a character split across chunks whole", async () => {
    const source = new PassThrough();
    const { target, writes } = collectBytes();
    const ended = passLines(source, target);
    const bytes = Buffer.from("[w1] é ✓\n");
    for (const byte of bytes) source.write(Buffer.from([byte]));
    source.end();
    await ended;
    assert.deepEqual(writes, ["[w1] é ✓\n"]);
  });

  test("a line longer than the cap without a newline is passed on rather than held whole", async () => {
    const source = new PassThrough();
    const { target, writes } = collectBytes();
    void passLines(source, target);
    source.write("y".repeat(MAX_PARTIAL_LINE + 1));
    await new Promise(setImmediate);
    assert.equal(writes.length, 1);
    assert.equal(writes[0]!.length, MAX_PARTIAL_LINE + 2);
  });
});
