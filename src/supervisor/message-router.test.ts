import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BusSupervisorMessage } from "../bus/protocol.ts";
import { LskyError } from "../errors.ts";
import { type BusPeer, MessageRouter } from "./message-router.ts";

interface FakePeer extends BusPeer {
  state: BusPeer["state"];
  inbox: BusSupervisorMessage[];
  exit(): Promise<void>;
}

function fakePeer(slot: number, state: BusPeer["state"] = "ready"): FakePeer {
  let exit!: () => void;
  const exited = new Promise<void>((resolve) => (exit = resolve));
  const peer: FakePeer = {
    slot,
    state,
    exited,
    inbox: [],
    send: (message) => (peer.inbox.push(message), true),
    exit: async () => {
      peer.state = "exited";
      exit();
      await exited;
      await Promise.resolve(); // let the router's exit callback run
    },
  };
  return peer;
}

/** A clock the test advances by hand. */
function fakeClock() {
  const timers = new Set<{ at: number; action: () => void }>();
  let now = 0;
  return {
    schedule(ms: number, action: () => void) {
      const timer = { at: now + ms, action };
      timers.add(timer);
      return () => void timers.delete(timer);
    },
    advance(ms: number) {
      now += ms;
      for (const timer of [...timers]) {
        if (timer.at <= now) {
          timers.delete(timer);
          timer.action();
        }
      }
    },
    get size() {
      return timers.size;
    },
  };
}

/** A router with workers 1 and 2 attached (each has said "ready"), inboxes emptied. */
function setup() {
  const clock = fakeClock();
  const router = new MessageRouter({ schedule: clock.schedule });
  const one = fakePeer(1);
  const two = fakePeer(2);
  router.onMessage(one, { type: "ready", port: 1 });
  router.onMessage(two, { type: "ready", port: 1 });
  one.inbox.length = 0;
  two.inbox.length = 0;
  return { clock, router, one, two };
}

describe("MessageRouter publish and send", () => {
  test("a publish to all reaches every ready worker, the sender included", () => {
    const { router, one, two } = setup();
    router.onMessage(one, { type: "publish", topic: "news", data: { n: 1 }, to: "*" });
    const expected = { type: "deliver", topic: "news", data: { n: 1 }, from: 1 };
    assert.deepEqual(one.inbox, [expected]);
    assert.deepEqual(two.inbox, [expected]);
  });

  test("a draining worker still receives broadcasts; a starting one does not", () => {
    const { router, one, two } = setup();
    const starting = fakePeer(3, "starting");
    router.onMessage(starting, { type: "stats", requests: 0, inflight: 0, rss: 0 });
    two.state = "draining";
    router.onMessage(one, { type: "publish", topic: "t", to: "*" });
    assert.equal(two.inbox.length, 1);
    assert.equal(starting.inbox.length, 0);
  });

  test("a send reaches only its target, and is dropped when the target is not ready", () => {
    const { router, one, two } = setup();
    router.onMessage(one, { type: "publish", topic: "direct", data: "hi", to: 2 });
    assert.deepEqual(two.inbox, [{ type: "deliver", topic: "direct", data: "hi", from: 1 }]);
    assert.deepEqual(one.inbox, []);
    router.onMessage(one, { type: "publish", topic: "direct", data: "hi", to: 9 });
    assert.deepEqual(one.inbox, []);
  });

  test("messages between one pair arrive in the order sent", () => {
    const { router, one, two } = setup();
    for (let i = 0; i < 5; i++) router.onMessage(one, { type: "publish", topic: "seq", data: i, to: 2 });
    assert.deepEqual(two.inbox.map((m) => (m as { data: number }).data), [0, 1, 2, 3, 4]);
  });

  test("a custom process (not addressable) hears broadcasts, but an id always means the HTTP worker", () => {
    const { router, one, two } = setup();
    const process = { ...fakePeer(1), addressable: false };
    router.onMessage(process, { type: "ready", port: 0 });
    process.inbox.length = 0;
    one.inbox.length = 0;
    two.inbox.length = 0;
    router.onMessage(two, { type: "publish", topic: "t", data: 1, to: "*" });
    assert.equal(process.inbox.length, 1);
    for (let i = 0; i < 3; i++) router.onMessage(two, { type: "publish", topic: "direct", data: i, to: 1 });
    router.onMessage(two, { type: "request", id: 7, topic: "ask", data: null, to: 1, timeout: 1000 });
    assert.deepEqual(one.inbox.map((m) => m.type), ["deliver", "deliver", "deliver", "deliver", "request"]);
    assert.deepEqual(process.inbox.map((m) => m.type), ["deliver"]);
  });

  test("the supervisor's publish reaches every worker", () => {
    const { router, one, two } = setup();
    router.publish("all", 1);
    assert.deepEqual(one.inbox, [{ type: "deliver", topic: "all", data: 1, from: "supervisor" }]);
    assert.deepEqual(two.inbox, [{ type: "deliver", topic: "all", data: 1, from: "supervisor" }]);
  });
});

describe("MessageRouter requests between workers", () => {
  test("a request is renumbered, forwarded, and its reply routed back with the original id", () => {
    const { router, one, two } = setup();
    router.onMessage(one, { type: "request", id: 7, topic: "sum", data: [1, 2], to: 2, timeout: 1000 });
    assert.equal(two.inbox.length, 1);
    const forwarded = two.inbox[0] as Extract<BusSupervisorMessage, { type: "request" }>;
    assert.deepEqual({ ...forwarded, id: 0 }, { type: "request", id: 0, topic: "sum", data: [1, 2], from: 1 });
    router.onMessage(two, { type: "reply", id: forwarded.id, data: 3 });
    assert.deepEqual(one.inbox, [{ type: "reply", id: 7, data: 3 }]);
    assert.equal(router.pendingCount(), 0);
  });

  test("two workers using the same request id each get their own reply", () => {
    const { router, one, two } = setup();
    const three = fakePeer(3);
    router.onMessage(three, { type: "ready", port: 1 });
    router.onMessage(one, { type: "request", id: 1, topic: "q", to: 2, timeout: 1000 });
    router.onMessage(three, { type: "request", id: 1, topic: "q", to: 2, timeout: 1000 });
    const [a, b] = two.inbox.filter((m) => m.type === "request") as unknown as [{ id: number }, { id: number }];
    assert.notEqual(a.id, b.id);
    router.onMessage(two, { type: "reply", id: b.id, data: "for three" });
    router.onMessage(two, { type: "reply", id: a.id, data: "for one" });
    assert.deepEqual(one.inbox.filter((m) => m.type === "reply"), [{ type: "reply", id: 1, data: "for one" }]);
    assert.deepEqual(three.inbox.filter((m) => m.type === "reply"), [{ type: "reply", id: 1, data: "for three" }]);
  });

  test("an error reply is passed through", () => {
    const { router, one, two } = setup();
    router.onMessage(one, { type: "request", id: 1, topic: "q", to: 2, timeout: 1000 });
    const { id } = two.inbox[0] as { id: number };
    const error = { code: "BUS_NO_HANDLER" as const, message: 'Worker 2 has no handler for "q"' };
    router.onMessage(two, { type: "reply", id, error });
    assert.deepEqual(one.inbox, [{ type: "reply", id: 1, error }]);
  });

  test("a request to a worker that is not ready fails at once with BUS_NO_WORKER", () => {
    const { router, one } = setup();
    router.onMessage(one, { type: "request", id: 4, topic: "q", to: 5, timeout: 1000 });
    assert.deepEqual(one.inbox, [{
      type: "reply", id: 4,
      error: { code: "BUS_NO_WORKER", message: 'Cannot send request "q" to worker 5: no such worker is ready' },
    }]);
  });

  test("a request whose target exits fails with BUS_WORKER_GONE", async () => {
    const { router, one, two } = setup();
    router.onMessage(one, { type: "request", id: 4, topic: "slow", to: 2, timeout: 1000 });
    await two.exit();
    const replies = one.inbox.filter((m) => m.type === "reply");
    assert.deepEqual(replies, [{
      type: "reply", id: 4,
      error: { code: "BUS_WORKER_GONE", message: 'Worker 2 exited before replying to "slow"' },
    }]);
    assert.equal(router.pendingCount(), 0);
  });

  test("a request times out with BUS_TIMEOUT and a late reply is dropped", () => {
    const { clock, router, one, two } = setup();
    router.onMessage(one, { type: "request", id: 4, topic: "slow", to: 2, timeout: 300 });
    const { id } = two.inbox[0] as { id: number };
    clock.advance(299);
    assert.deepEqual(one.inbox, []);
    clock.advance(1);
    assert.deepEqual(one.inbox, [{
      type: "reply", id: 4,
      error: { code: "BUS_TIMEOUT", message: 'Request "slow" to worker 2 timed out after 300 ms' },
    }]);
    router.onMessage(two, { type: "reply", id, data: "late" });
    assert.equal(one.inbox.length, 1);
    assert.equal(clock.size, 0);
  });

  test("a reply from a process the request was not sent to is ignored", () => {
    const { router, one, two } = setup();
    router.onMessage(one, { type: "request", id: 1, topic: "q", to: 2, timeout: 1000 });
    const { id } = two.inbox[0] as { id: number };
    router.onMessage(one, { type: "reply", id, data: "forged" });
    assert.deepEqual(one.inbox, []);
    assert.equal(router.pendingCount(), 1);
  });

  test("when the requester exits, its pending request is forgotten and the reply dropped", async () => {
    const { clock, router, one, two } = setup();
    router.onMessage(one, { type: "request", id: 1, topic: "q", to: 2, timeout: 1000 });
    const { id } = two.inbox[0] as { id: number };
    await one.exit();
    assert.equal(router.pendingCount(), 0);
    assert.equal(clock.size, 0);
    router.onMessage(two, { type: "reply", id, data: "x" });
    assert.deepEqual(one.inbox.filter((m) => m.type === "reply"), []);
  });

  test("during a reload the newest ready process of a slot takes requests; replies go to the asker", () => {
    const { router, one, two } = setup();
    router.onMessage(two, { type: "request", id: 1, topic: "q", to: 1, timeout: 1000 });
    const replacement = fakePeer(2);
    router.onMessage(replacement, { type: "ready", port: 1 });
    two.state = "draining";
    router.onMessage(one, { type: "request", id: 1, topic: "q", to: 2, timeout: 1000 });
    assert.equal(replacement.inbox.filter((m) => m.type === "request").length, 1);
    const first = one.inbox.find((m) => m.type === "request") as { id: number };
    router.onMessage(one, { type: "reply", id: first.id, data: "to old" });
    assert.deepEqual(two.inbox.filter((m) => m.type === "reply"), [{ type: "reply", id: 1, data: "to old" }]);
    assert.deepEqual(replacement.inbox.filter((m) => m.type === "reply"), []);
  });
});

describe("MessageRouter requests to the supervisor", () => {
  test("the built-in ping answers with its data", () => {
    const { router, one } = setup();
    router.onMessage(one, { type: "request", id: 3, topic: "ping", data: { t: 1 }, to: "supervisor", timeout: 1000 });
    assert.deepEqual(one.inbox, [{ type: "reply", id: 3, data: { t: 1 } }]);
  });

  test("registered handlers answer, synchronously or with a promise, and failures become BUS_HANDLER_FAILED", async () => {
    const { router, one } = setup();
    router.handle("double", (data, from) => ({ value: (data as number) * 2, from }));
    router.handle("later", async () => "done");
    router.handle("broken", () => {
      throw new Error("boom");
    });
    router.onMessage(one, { type: "request", id: 1, topic: "double", data: 21, to: "supervisor", timeout: 1000 });
    router.onMessage(one, { type: "request", id: 2, topic: "later", to: "supervisor", timeout: 1000 });
    router.onMessage(one, { type: "request", id: 3, topic: "broken", to: "supervisor", timeout: 1000 });
    router.onMessage(one, { type: "request", id: 4, topic: "missing", to: "supervisor", timeout: 1000 });
    await new Promise((resolve) => setImmediate(resolve));
    const byId = new Map(one.inbox.map((m) => [(m as { id: number }).id, m]));
    assert.deepEqual(byId.get(1), { type: "reply", id: 1, data: { value: 42, from: 1 } });
    assert.deepEqual(byId.get(2), { type: "reply", id: 2, data: "done" });
    assert.deepEqual(byId.get(3), {
      type: "reply", id: 3, error: { code: "BUS_HANDLER_FAILED", message: 'The supervisor failed to handle "broken": boom' },
    });
    assert.deepEqual(byId.get(4), {
      type: "reply", id: 4, error: { code: "BUS_NO_HANDLER", message: 'The supervisor has no handler for "missing"' },
    });
  });

  test("a topic has one handler; unregistering frees it", () => {
    const router = new MessageRouter();
    const off = router.handle("task", () => 1);
    assert.throws(() => router.handle("task", () => 2), /already registered/);
    off();
    router.handle("task", () => 3);
  });

  test("the supervisor's own request resolves with the worker's reply or rejects with a coded error", async () => {
    const { clock, router, two } = setup();
    const answered = router.request(2, "work", { job: 1 }, 500);
    const { id, from } = two.inbox[0] as { id: number; from: unknown };
    assert.equal(from, "supervisor");
    router.onMessage(two, { type: "reply", id, data: "ok" });
    assert.equal(await answered, "ok");
    const timedOut = router.request(2, "work", undefined, 500);
    clock.advance(500);
    await assert.rejects(timedOut, { code: "BUS_TIMEOUT" });
    await assert.rejects(router.request(9, "work"), { code: "BUS_NO_WORKER" });
  });
});

describe("MessageRouter membership", () => {
  test("workers learn the ready ids when they change, and a new worker always gets them", async () => {
    const clock = fakeClock();
    const router = new MessageRouter({ schedule: clock.schedule });
    const one = fakePeer(1);
    const two = fakePeer(2);
    router.onMessage(one, { type: "ready", port: 1 });
    router.onMessage(two, { type: "ready", port: 1 });
    assert.deepEqual(one.inbox, [{ type: "workers", ids: [1] }, { type: "workers", ids: [1, 2] }]);
    assert.deepEqual(two.inbox, [{ type: "workers", ids: [1, 2] }]);
    const replacement = fakePeer(2);
    router.onMessage(replacement, { type: "ready", port: 1 });
    assert.deepEqual(replacement.inbox, [{ type: "workers", ids: [1, 2] }]);
    assert.equal(one.inbox.length, 2, "an unchanged set is not broadcast again");
    two.state = "draining";
    await two.exit();
    await replacement.exit();
    assert.deepEqual(one.inbox.at(-1), { type: "workers", ids: [1] });
  });
});

describe("MessageRouter and a worker whose bus queue is full", () => {
  test("a request to it fails at once with BUS_QUEUE_FULL instead of waiting for the timeout", () => {
    const { clock, router, one, two } = setup();
    two.send = () => false; // its channel dropped the message (src/bus/outgoing-limit.ts)
    router.onMessage(one, { type: "request", id: 4, topic: "q", to: 2, timeout: 1000 });
    const reply = one.inbox[0] as Extract<BusSupervisorMessage, { type: "reply" }>;
    assert.equal(reply.id, 4);
    assert.equal(reply.error?.code, "BUS_QUEUE_FULL");
    assert.match(reply.error!.message, /worker 2: its bus queue is full/);
    assert.equal(router.pendingCount(), 0);
    assert.equal(clock.size, 0, "no timer is left behind");
  });
});

describe("MessageRouter and the cluster", () => {
  test("onBroadcast hears each publish to all workers, not a send to one", () => {
    const { router, one } = setup();
    const heard: Array<[string, unknown]> = [];
    router.onBroadcast = (topic, data) => void heard.push([topic, data]);
    router.onMessage(one, { type: "publish", topic: "news", data: 1, to: "*" });
    router.onMessage(one, { type: "publish", topic: "direct", data: 2, to: 2 });
    router.publish("from-supervisor", 3);
    assert.deepEqual(heard, [["news", 1]]);
    assert.deepEqual(router.workerIds(), [1, 2]);
  });

  test("a supervisor handler's bus failure reaches the worker with its code; any other error is BUS_HANDLER_FAILED", async () => {
    const { router, one } = setup();
    router.handle("relay", () => Promise.reject(new LskyError("BUS_TIMEOUT", "Node \"b\" did not answer")));
    router.handle("broken", () => Promise.reject(new LskyError("WS_GONE", "gone")));
    router.onMessage(one, { type: "request", id: 1, topic: "relay", to: "supervisor", timeout: 1000 });
    router.onMessage(one, { type: "request", id: 2, topic: "broken", to: "supervisor", timeout: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const codes = one.inbox.map((m) => (m as { error?: { code: string } }).error?.code);
    assert.deepEqual(codes, ["BUS_TIMEOUT", "BUS_HANDLER_FAILED"]);
  });
});
