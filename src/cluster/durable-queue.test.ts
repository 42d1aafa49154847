import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { hasRedisServer, useRedisServer } from "../../test/harness/redis.ts";
import { type ClaimedJob, createDurableQueue } from "./durable-queue.ts";
import { durableKeys } from "./durable-scripts.ts";

const missing = hasRedisServer() ? false : "redis-server is not installed (apt-get install redis-server): the durable queue's scripts are not tried";
const spec = { tries: 1, timeout: 0, delay: 0 };

function claimed(job: ClaimedJob | undefined): ClaimedJob {
  assert.ok(job, "a job was claimed");
  return job;
}

describe("the durable task queue on a real redis-server", { skip: missing }, () => {
  const live = useRedisServer();

  test("jobs are claimed oldest first, once, with the claim's token; an empty queue claims nothing", async () => {
    const a = createDurableQueue(live.redis, { prefix: "q1", node: "a", visibility: 5000 });
    const b = createDurableQueue(live.redis, { prefix: "q1", node: "b", visibility: 5000 });
    const first = await a.enqueue("mail", '{"n":1}', { ...spec, tries: 3, timeout: 200 });
    const second = await a.enqueue("mail", '{"n":2}', spec);
    assert.notEqual(first, second);
    assert.match(first, /^d\d+-[0-9a-z]+$/);
    const one = claimed(await b.claim());
    assert.deepEqual(one, { id: first, name: "mail", payload: '{"n":1}', tries: 3, timeout: 200, attempt: 1, fails: 0, token: "b/1" });
    assert.equal(claimed(await a.claim()).id, second);
    assert.equal(await a.claim(), undefined);
    assert.equal(await live.redis.zcard(durableKeys("q1").active), 2);
  });

  test("only the owner extends, acks, fails or releases a job", async () => {
    const a = createDurableQueue(live.redis, { prefix: "q2", node: "a", visibility: 5000 });
    await a.enqueue("mail", "1", spec);
    const job = claimed(await a.claim());
    const stranger = { ...job, token: "b/1" };
    assert.equal(await a.extend(stranger), false);
    assert.equal(await a.ack(stranger), false);
    assert.equal(await a.fail(stranger, 0), "lost");
    assert.equal(await a.release(stranger), false);
    assert.equal(await a.extend(job), true);
    assert.equal(await a.ack(job), true);
    assert.equal(await a.ack(job), false, "a second ack finds nothing");
    assert.equal(await live.redis.exists(`${durableKeys("q2").job}${job.id}`), 0);
    assert.equal(await live.redis.zcard(durableKeys("q2").active), 0);
  });

  test("ack-and-claim acks only the owner's job and claims the next one either way; an empty queue claims nothing", async () => {
    const a = createDurableQueue(live.redis, { prefix: "q6", node: "a", visibility: 5000 });
    const b = createDurableQueue(live.redis, { prefix: "q6", node: "b", visibility: 5000 });
    const [x, y, z] = [await a.enqueue("x", '"1"', spec), await a.enqueue("y", '"2"', spec), await a.enqueue("z", '"3"', spec)];
    const first = claimed(await a.claim());
    assert.equal(first.id, x);
    const afterFirst = await a.ackAndClaim(first);
    assert.equal(afterFirst.acked, true);
    assert.deepEqual(afterFirst.next, { id: y, name: "y", payload: '"2"', tries: 1, timeout: 0, attempt: 1, fails: 0, token: "a/1" });
    assert.equal(await live.redis.exists(`${durableKeys("q6").job}${x}`), 0, "the acked job is gone");
    const stranger = await b.ackAndClaim({ ...afterFirst.next!, token: "b/1" });
    assert.equal(stranger.acked, false, "a token that does not own the job acks nothing");
    assert.equal(stranger.next?.id, z);
    assert.equal(await live.redis.zscore(durableKeys("q6").active, y) !== null, true, "y is still a's");
    const last = await a.ackAndClaim(afterFirst.next!);
    assert.deepEqual([last.acked, last.next], [true, undefined]);
    assert.equal(await live.redis.zcard(durableKeys("q6").active), 1, "only z, b's claim, is active");
  });

  test("the reaper gives back a job past its deadline; the old owner can no longer ack it, the new one can", async () => {
    const a = createDurableQueue(live.redis, { prefix: "q3", node: "a", visibility: 100 });
    const b = createDurableQueue(live.redis, { prefix: "q3", node: "b", visibility: 5000 });
    await a.enqueue("mail", "1", spec);
    const old = claimed(await a.claim());
    assert.deepEqual(await b.reap(), { returned: 0, ready: 0, active: 1, delayed: 0 });
    await waitUntil(async () => (await b.reap()).returned === 1);
    const taken = claimed(await b.claim());
    assert.equal(taken.id, old.id);
    assert.equal(taken.attempt, 2);
    assert.equal(taken.token, "b/2");
    assert.equal(await a.extend(old), false);
    assert.equal(await a.ack(old), false);
    assert.equal(await b.ack(taken), true);
  });

  test("a failed attempt with tries left waits its backoff in delayed, then is claimed again; the last one is dropped", async () => {
    const a = createDurableQueue(live.redis, { prefix: "q4", node: "a", visibility: 5000 });
    await a.enqueue("mail", "1", { ...spec, tries: 2 });
    const first = claimed(await a.claim());
    assert.equal(await a.fail(first, 50), "retry");
    assert.equal(await live.redis.zcard(durableKeys("q4").delayed), 1);
    const second = claimed(await waitUntil(() => a.claim()));
    assert.deepEqual([second.id, second.attempt, second.fails], [first.id, 2, 1]);
    assert.equal(await a.fail(second, 50), "dropped");
    assert.equal(await live.redis.exists(`${durableKeys("q4").job}${first.id}`), 0);
  });

  test("a released job is first in line; a delayed job waits its delay", async () => {
    const a = createDurableQueue(live.redis, { prefix: "q5", node: "a", visibility: 5000 });
    await a.enqueue("later", "1", { ...spec, delay: 150 });
    const x = await a.enqueue("x", "1", spec);
    const y = await a.enqueue("y", "1", spec);
    const job = claimed(await a.claim());
    assert.equal(job.id, x);
    assert.equal(await a.release(job), true);
    assert.equal(claimed(await a.claim()).id, x);
    assert.equal(claimed(await a.claim()).id, y);
    assert.equal(await a.claim(), undefined, "the delayed job is not due yet");
    assert.equal(claimed(await waitUntil(() => a.claim())).name, "later");
  });
});

async function waitUntil<T>(probe: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("condition not met within 5 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
