import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Redis } from "ioredis";
import { hasRedisServer, useRedisServer } from "../../test/harness/redis.ts";
import { RELEASE_SCRIPT, RENEW_SCRIPT } from "./lock-scripts.ts";
import { scheduleKeys } from "./schedule-keys.ts";
import { createScheduleLocks, type HeldLock, type TickClaim } from "./schedule-lock.ts";

const missing = hasRedisServer() ? false : "redis-server is not installed (apt-get install redis-server): the lock scripts are not tried";

function won(claim: TickClaim): HeldLock {
  assert.equal(claim.outcome, "won", JSON.stringify(claim));
  return (claim as { lock: HeldLock }).lock;
}

describe("the schedule lock on a real redis-server", { skip: missing }, () => {
  const live = useRedisServer();

  test("a tick is won once in the cluster, even after its run released the lock", async () => {
    const a = createScheduleLocks(live.redis, { prefix: "t1", node: "a", ttl: 5000 });
    const b = createScheduleLocks(live.redis, { prefix: "t1", node: "b", ttl: 5000 });
    const first = won(await a.claim("job", 1000, false));
    first.release();
    await live.redis.ping();
    assert.equal(await live.redis.exists(scheduleKeys("t1", "job").lock), 0);
    // Node b, its clock a few ms behind, comes to tick 1000 after a's run ended.
    assert.deepEqual(await b.claim("job", 1000, false), { outcome: "taken" });
    assert.deepEqual(await b.claim("job", 800, false), { outcome: "taken" });
    const next = won(await b.claim("job", 1200, false));
    assert.ok(next.fence > first.fence, `fence ${next.fence} after ${first.fence}`);
    next.release();
  });

  test("without overlap the next tick is busy while a run holds the lock; with overlap it is not", async () => {
    const a = createScheduleLocks(live.redis, { prefix: "t2", node: "a", ttl: 5000 });
    const held = won(await a.claim("job", 1000, false));
    const busy = await a.claim("job", 1200, false);
    assert.equal(busy.outcome, "busy");
    assert.match((busy as { owner: string }).owner, /^a\/1000\//);
    held.release();
    won(await a.claim("job", 1400, false)).release();
    const one = won(await a.claim("both", 1000, true));
    const two = won(await a.claim("both", 1200, true));
    assert.equal(two.fence, one.fence + 1);
    one.release();
    two.release();
  });

  test("an old run can neither extend nor release the lock a newer run took after it expired", async () => {
    const a = createScheduleLocks(live.redis, { prefix: "t3", node: "a", ttl: 150 });
    const old = won(await a.claim("job", 1000, false));
    const lost = new Promise<string>((resolve) => old.onLost(resolve));
    const key = scheduleKeys("t3", "job").lock;
    const oldToken = (await live.redis.get(key))!;
    // The old run's lock expires (its process paused past the TTL): as if by DEL, which no renewal can race.
    await live.redis.del(key);
    const newer = won(await createScheduleLocks(live.redis, { prefix: "t3", node: "b", ttl: 5000 }).claim("job", 1200, false));
    assert.ok(newer.fence > old.fence);
    const newToken = (await live.redis.get(key))!;
    assert.equal(await live.redis.eval(RENEW_SCRIPT, 1, key, oldToken, 60_000), 0);
    assert.equal(await live.redis.eval(RELEASE_SCRIPT, 1, key, oldToken), 0);
    assert.match(await lost, /no longer this run's/);
    old.release();
    assert.equal(await live.redis.get(key), newToken);
    assert.ok((await live.redis.pttl(key)) <= 5000);
    newer.release();
  });

  test("a held lock is renewed past its TTL", async () => {
    const a = createScheduleLocks(live.redis, { prefix: "t4", node: "a", ttl: 300 });
    const held = won(await a.claim("job", 1000, false));
    let lostReason = "";
    held.onLost((reason) => (lostReason = reason));
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal(lostReason, "");
    assert.equal(await live.redis.exists(scheduleKeys("t4", "job").lock), 1);
    held.release();
  });

  test("two prefixes on one Redis never collide", async () => {
    const eu = createScheduleLocks(live.redis, { prefix: "eu", node: "a", ttl: 5000 });
    const us = createScheduleLocks(live.redis, { prefix: "us", node: "a", ttl: 5000 });
    won(await eu.claim("job", 1000, false)).release();
    won(await us.claim("job", 1000, false)).release();
  });

  test("with Redis away a claim is an error, not a run", async () => {
    const offline = new Redis(`redis://127.0.0.1:${live.server.port}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const claim = await createScheduleLocks(offline, { prefix: "t5", node: "a", ttl: 5000 }).claim("job", 1000, false);
    assert.equal(claim.outcome, "error");
    offline.disconnect();
  });
});

test("a lock whose renewals fail for a whole TTL is lost; one answered 0 is lost at once", async () => {
  // The renewal timer is unref'd (it must not hold the supervisor up); this one keeps the test's loop alive.
  const keepAlive = setInterval(() => {}, 1000);
  let renewal: () => Promise<unknown> = () => Promise.reject(new Error("Connection is closed."));
  const redis = {
    eval: (script: string) => (script === RENEW_SCRIPT ? renewal() : script.includes("INCR") ? Promise.resolve(["won", 1]) : Promise.resolve(1)),
  };
  const locks = createScheduleLocks(redis, { prefix: "p", node: "a", ttl: 90 });
  const first = won(await locks.claim("job", 1000, false));
  assert.match(await new Promise<string>((resolve) => first.onLost(resolve)), /did not renew it for 90 ms \(Connection is closed\.\)/);
  renewal = () => Promise.resolve(0);
  const second = won(await locks.claim("job", 1200, false));
  assert.match(await new Promise<string>((resolve) => second.onLost(resolve)), /no longer this run's/);
  clearInterval(keepAlive);
});
