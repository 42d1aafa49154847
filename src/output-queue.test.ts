import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OutputQueue } from "./output-queue.ts";

/** An output the test drains by hand: each write waits until `release` (or fails with `fail`). */
function heldOutput() {
  const written: string[] = [];
  const waiting: Array<{ text: string; done: (error?: Error) => void }> = [];
  const write = (bytes: Uint8Array) => new Promise<void>((resolve, reject) => {
    waiting.push({ text: new TextDecoder().decode(bytes), done: (error) => (error ? reject(error) : resolve()) });
  });
  const settle = async (error?: Error) => {
    while (waiting.length > 0) {
      const next = waiting.shift()!;
      if (!error) written.push(next.text);
      next.done(error);
      for (let i = 0; i < 5; i++) await Promise.resolve(); // let the queue take its next batch
    }
  };
  return { write, written, release: () => settle(), fail: (code: string) => settle(Object.assign(new Error(code), { code })) };
}

const notice = (count: number) => `[lsky] warning: ${count} log lines dropped\n`;

describe("OutputQueue", () => {
  test("writes lines in order, several queued lines in one write", async () => {
    const out = heldOutput();
    const queue = new OutputQueue({ write: out.write, maxBytes: 1000, notice });
    queue.write("a\n");
    queue.write("b\n");
    queue.write("c\n");
    await out.release();
    assert.equal(out.written.join(""), "a\nb\nc\n");
    assert.equal(queue.queued(), 0);
  });

  test("a slow output: the queue stays within its bound, drops and counts, then says so once it drained", async () => {
    const out = heldOutput();
    const queue = new OutputQueue({ write: out.write, maxBytes: 100, notice });
    const line = `${"x".repeat(9)}\n`; // 10 bytes
    const accepted = Array.from({ length: 50 }, () => queue.write(line)).filter(Boolean).length;
    assert.equal(accepted, 10);
    assert.ok(queue.queued() <= 100);
    assert.equal(queue.droppedLines(), 40);
    await out.release();
    assert.equal(out.written.join(""), `${line.repeat(10)}[lsky] warning: 40 log lines dropped\n`);
    // A new episode counts from zero.
    queue.write(line);
    await out.release();
    assert.equal(out.written.at(-1), line);
  });

  test("lines given as bytes go in the same queue, and are counted by their newlines when dropped", async () => {
    const out = heldOutput();
    const queue = new OutputQueue({ write: out.write, maxBytes: 12, notice });
    assert.equal(queue.write("a\n"), true);
    assert.equal(queue.writeBytes(new TextEncoder().encode("b\nc\n")), true);
    assert.equal(queue.writeBytes(new TextEncoder().encode("d\ne\nf\ng\n")), false);
    assert.equal(queue.droppedLines(), 4);
    await out.release();
    assert.equal(out.written.join(""), "a\nb\nc\n[lsky] warning: 4 log lines dropped\n");
  });

  test("a failing output (EPIPE, ENOSPC) loses its lines, counted, and never throws", async () => {
    const out = heldOutput();
    const queue = new OutputQueue({ write: out.write, maxBytes: 1000, notice });
    queue.write("one\ntwo\n");
    await out.fail("EPIPE");
    assert.equal(queue.droppedLines(), 2);
    queue.write("three\n");
    await out.release();
    assert.deepEqual(out.written, ["three\n"], "a failure does not stop the next line, nor queue a notice");
  });

  test("flush waits for the queue to empty, or gives up after its timeout", async () => {
    const out = heldOutput();
    const queue = new OutputQueue({ write: out.write, maxBytes: 1000, notice });
    queue.write("last\n");
    let flushed = false;
    const flushing = queue.flush(60_000).then(() => (flushed = true));
    await Promise.resolve();
    assert.equal(flushed, false);
    await out.release();
    await flushing;
    assert.equal(flushed, true);
    queue.write("stuck\n");
    await queue.flush(10); // the output never takes it: the wait is bounded
    assert.equal(queue.queued(), 6);
  });

  test("a producer that can wait is told to past half full, and relieved at a quarter", async () => {
    const out = heldOutput();
    const queue = new OutputQueue({ write: out.write, maxBytes: 100, notice });
    for (let i = 0; i < 6; i++) queue.write(`${"x".repeat(9)}\n`);
    assert.equal(queue.pressed(), true);
    let relieved = false;
    const waiting = queue.whenRelieved(60_000).then(() => (relieved = true));
    await out.release();
    await waiting;
    assert.equal(relieved, true);
    assert.equal(queue.droppedLines(), 0);
  });

  test("an output that stays stuck past the hold stops making producers wait until it emptied", async () => {
    const out = heldOutput();
    const queue = new OutputQueue({ write: out.write, maxBytes: 100, notice });
    for (let i = 0; i < 6; i++) queue.write(`${"x".repeat(9)}\n`);
    await queue.whenRelieved(10);
    assert.equal(queue.pressed(), false, "stuck: drop instead of holding the producer again");
    await out.release();
    queue.write(`${"x".repeat(59)}\n`);
    assert.equal(queue.pressed(), true, "emptied once: producers wait again");
    await out.release();
  });
});
