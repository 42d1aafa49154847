import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BodyGuardError, guardBody } from "./body-guard.ts";

/** A body that sends one byte every `everyMs`, `count` times. */
function trickle(count: number, everyMs: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent === count) return controller.close();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
      sent++;
      controller.enqueue(new Uint8Array([65]));
    },
  }, { highWaterMark: 0 });
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of body) bytes += chunk.byteLength;
  return bytes;
}

describe("guardBody minimum rate", () => {
  test("a body trickling below the rate fails with 408 after the grace period, though no pause reaches the idle limit", async () => {
    const failures: number[] = [];
    const body = guardBody(trickle(1000, 20), { maxBytes: 1e6, idleMs: 1000, minRate: 100, graceMs: 100, onFailure: (s) => failures.push(s) });
    await assert.rejects(readAll(body), (error: unknown) => error instanceof BodyGuardError && error.status === 408);
    assert.deepEqual(failures, [408]);
  });

  test("a body at or above the rate is read whole", async () => {
    const failures: number[] = [];
    const body = guardBody(trickle(20, 5), { maxBytes: 1e6, idleMs: 1000, minRate: 100, graceMs: 100, onFailure: (s) => failures.push(s) });
    assert.equal(await readAll(body), 20);
    assert.deepEqual(failures, []);
  });

  test("rate 0 leaves only the idle limit", async () => {
    const body = guardBody(trickle(5, 30), { maxBytes: 1e6, idleMs: 1000, minRate: 0, graceMs: 0, onFailure: () => {} });
    assert.equal(await readAll(body), 5);
  });
});
