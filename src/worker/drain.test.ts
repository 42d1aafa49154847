import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { CloseOptions, HttpServer } from "../runtime/types.ts";
import { drainServer, idleMarginFor } from "./drain.ts";

function fakeServer(keepsIdleConnections: boolean) {
  const calls: { options: CloseOptions | undefined; at: number }[] = [];
  const server: HttpServer = {
    port: 1,
    keepsIdleConnections,
    close: async (options) => void calls.push({ options, at: performance.now() }),
    forceClose: () => {},
  };
  return { server, calls };
}

const counters = { requests: 0, inflight: 0 };

describe("idleMarginFor", () => {
  test("is the keep-alive timeout, at most half the grace period", () => {
    assert.equal(idleMarginFor({ keepAliveTimeout: 5_000, gracePeriod: 30_000 }), 5_000);
    assert.equal(idleMarginFor({ keepAliveTimeout: 60_000, gracePeriod: 10_000 }), 5_000);
  });
});

describe("drainServer", () => {
  const plan = { drainDelay: 0, gracePeriod: 1_000, keepAliveTimeout: 60 };

  test("on a handover, an engine that keeps idle connections closes each past the margin", async () => {
    const { server, calls } = fakeServer(true);
    await drainServer(server, counters, { ...plan, handover: true });
    assert.deepEqual(calls.map((c) => c.options), [{ idleMargin: 60 }]);
  });

  test("on a handover, an engine that cannot keeps serving for the margin, then closes", async () => {
    const { server, calls } = fakeServer(false);
    const started = performance.now();
    await drainServer(server, counters, { ...plan, handover: true });
    assert.deepEqual(calls.map((c) => c.options), [undefined]);
    assert.ok(calls[0]!.at - started >= 55, "the listener closed only after the margin");
  });

  test("on a handover, an engine that cannot closes at once after a request-free margin", async () => {
    const { server, calls } = fakeServer(false);
    const started = performance.now();
    await drainServer(server, counters, { ...plan, keepAliveTimeout: 60_000, handover: true, lastRequestBound: Date.now() - 60_000 });
    assert.deepEqual(calls.map((c) => c.options), [undefined]);
    assert.ok(calls[0]!.at - started < 30_000, "the listener did not wait out the margin again");
  });

  test("a server whose close would close its WebSockets waits for their own drain first, within the grace period", async () => {
    for (const closesWebSockets of [true, false]) {
      const { server, calls } = fakeServer(false);
      let socketsDone = false;
      const socketsClosed = new Promise<void>((resolve) => setTimeout(() => resolve(void (socketsDone = true)), 100));
      const closed = drainServer({ ...server, closesWebSockets, close: (options) => (calls.push({ options, at: socketsDone ? 1 : 0 }), Promise.resolve()) },
        counters, { ...plan, keepAliveTimeout: 60_000, handover: false, socketsClosed });
      await closed;
      assert.deepEqual(calls.map((c) => c.at), [closesWebSockets ? 1 : 0]);
      await socketsClosed;
    }
    const { server, calls } = fakeServer(false);
    const never = new Promise<void>(() => {});
    await drainServer({ ...server, closesWebSockets: true }, counters, { ...plan, gracePeriod: 50, keepAliveTimeout: 60_000, handover: false, socketsClosed: never });
    assert.equal(calls.length, 1, "closed at the grace deadline even though the sockets never finished");
  });

  test("WebSockets that finish early leave no timer waiting for the grace deadline", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const before = timers();
    const { server } = fakeServer(true);
    await drainServer({ ...server, closesWebSockets: true }, counters, { ...plan, gracePeriod: 60_000, handover: false, socketsClosed: Promise.resolve() });
    assert.equal(timers(), before);
  });

  test("on a stop, idle connections close at once", async () => {
    for (const keeps of [true, false]) {
      const { server, calls } = fakeServer(keeps);
      await drainServer(server, counters, { ...plan, keepAliveTimeout: 60_000, handover: false });
      assert.deepEqual(calls.map((c) => c.options), [undefined]);
    }
  });
});
