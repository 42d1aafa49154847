import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyContext } from "../../runtime/types.ts";
import { createAccessLogStage } from "./access-log-stage.ts";
import { type AccessEntry, formatAccessJson, formatAccessText } from "./format.ts";

const context = { remoteAddr: { transport: "tcp", hostname: "192.0.2.1", port: 1 } } as LskyContext;

function collect(app: (r: Request) => Response | Promise<Response>) {
  const entries: AccessEntry[] = [];
  let clock = 0;
  const stage = createAccessLogStage({
    worker: 3,
    record: (e) => entries.push(e),
    now: () => (clock += 2),
  });
  return { handler: stage((r) => app(r)), entries };
}

test("logs a sized response at once with method, path, status, bytes and duration", async () => {
  const { handler, entries } = collect(() => new Response("hello", { status: 201 }));
  const response = await handler(new Request("http://h.test/a/b?c=1", { method: "PUT", body: "x" }), context);
  await response.text();
  assert.equal(entries.length, 1);
  assert.deepEqual({ ...entries[0], time: "" }, {
    time: "", worker: 3, client: "192.0.2.1", method: "PUT", path: "/a/b?c=1", status: 201, bytes: 5, durationMs: 2,
  });
});

test("a body of unknown length held in memory is logged at once and sent with its bytes", async () => {
  const { handler, entries } = collect(() => new Response(new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array(3));
      c.enqueue(new Uint8Array(4));
      c.close();
    },
  })));
  const response = await handler(new Request("http://h.test/"), context);
  assert.equal(entries[0]?.bytes, 7);
  assert.equal((await response.arrayBuffer()).byteLength, 7);
  assert.equal(entries.length, 1);
});

test("a body still being produced is not waited for: counted as it flows and logged when it ends", async () => {
  let later!: () => void;
  const { handler, entries } = collect(() => new Response(new ReadableStream({
    start(c) {
      c.enqueue(new Uint8Array(3));
      later = () => (c.enqueue(new Uint8Array(4)), c.close());
    },
  })));
  const response = await handler(new Request("http://h.test/"), context);
  assert.equal(entries.length, 0);
  setTimeout(later, 5);
  assert.equal((await response.arrayBuffer()).byteLength, 7);
  assert.equal(entries[0]?.bytes, 7);
});

test("a cancelled stream is logged with bytes -1", async () => {
  const { handler, entries } = collect(() => new Response(new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(1)); } })));
  const response = await handler(new Request("http://h.test/"), context);
  await response.body!.cancel();
  assert.equal(entries[0]?.bytes, -1);
});

test("text and json lines", () => {
  const entry: AccessEntry = { time: "2026-01-01T00:00:00.000Z", worker: 2, client: "::1", method: "GET", path: "/x", status: 404, bytes: 9, durationMs: 1.5 };
  assert.equal(formatAccessText(entry), '2026-01-01T00:00:00.000Z ::1 "GET /x" 404 9 1.50ms');
  assert.deepEqual(JSON.parse(formatAccessJson(entry)), { type: "access", ...entry });
});
