import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { type FakePool, fakePool, type FakeWorker, until } from "./_fake-workers.ts";

/** A pool of `size` fake workers, started and ready. */
async function started(size: number, ...rest: Parameters<typeof fakePool> extends [number, ...infer R] ? R : never): Promise<FakePool> {
  const fake = fakePool(size, ...rest);
  const stopAuto = fake.autoReady();
  await fake.pool.start();
  stopAuto();
  return fake;
}

const states = (fake: FakePool) => fake.pool.slots.map((s) => s.worker?.state);
const causes = (w: FakeWorker) => w.handle.lifecycle.history.map((t) => `${t.to}:${t.cause}`);

describe("pool with fake workers", () => {
  test("starts every worker and stops them all with the cause 'stop'", async () => {
    const fake = await started(3);
    assert.deepEqual(states(fake), ["ready", "ready", "ready"]);
    assert.equal(fake.pool.readyCount(), 3);
    await fake.pool.stop();
    assert.equal(fake.pool.workers().length, 0);
    for (const w of fake.launched) assert.deepEqual(causes(w), ["ready:booted", "draining:stop", "exited:stop"]);
    assert.deepEqual(fake.launched[0]!.drains, [{ cause: "stop", quick: false, from: "ready" }]);
  });

  test("a worker that fails to boot fails start, and the others are stopped", async () => {
    const fake = fakePool(2);
    const starting = fake.pool.start();
    fake.ready(fake.launched[0]!);
    fake.launched[1]!.exit(3);
    await assert.rejects(starting, (e: unknown) => e instanceof LskyError && e.code === "WORKER_BOOT_FAILED");
    assert.deepEqual(causes(fake.launched[1]!), ["exited:boot-failed"]);
    assert.deepEqual(causes(fake.launched[0]!), ["ready:booted", "draining:stop", "exited:stop"]);
  });

  test("a crash is restarted with backoff and counted; the record says crashed", async () => {
    const fake = await started(2);
    const first = fake.current(1);
    first.exit(1);
    await until(() => fake.launched.length === 3, "a restart");
    const slot = fake.pool.slots[0]!;
    assert.equal(slot.lastExit?.reason, "crashed");
    assert.equal(slot.lastExit?.code, 1);
    assert.equal(slot.restarts, 1);
    assert.deepEqual(causes(first), ["ready:booted", "exited:crashed"]);
    fake.ready(fake.launched[2]!);
    assert.deepEqual(states(fake), ["ready", "ready"]);
    await fake.pool.stop();
  });

  test("a worker not ready by the boot timeout is killed as a boot failure and restarted", async () => {
    const fake = fakePool(1, { bootTimeout: 5 });
    const starting = fake.pool.start();
    await assert.rejects(starting, /not ready within 5 ms/);
    const w = fake.launched[0]!;
    assert.deepEqual(w.signals, ["SIGKILL"]);
    assert.deepEqual(causes(w), ["killing:boot-failed", "exited:boot-failed"]);
  });

  test("an unresponsive worker is killed, its exit is a failure, and it is restarted", async () => {
    const fake = await started(1);
    const w = fake.current(1);
    w.handle.killFor("unresponsive"); // what the watchdog does
    await until(() => fake.launched.length === 2, "a restart");
    assert.deepEqual(causes(w), ["ready:booted", "killing:unresponsive", "exited:unresponsive"]);
    assert.equal(fake.pool.slots[0]!.lastExit?.reason, "unresponsive");
    await fake.pool.stop();
  });

  test("gives up on a slot whose workers keep crashing soon after they start", async () => {
    const fake = await started(1);
    const stopAuto = fake.autoReady();
    for (let n = 1; n <= 3; n++) {
      await until(() => fake.launched.length === n && fake.current(1).handle.state === "ready", `worker ${n} ready`);
      fake.current(1).exit(null, "SIGSEGV");
    }
    await until(() => fake.fatal.length === 1, "giving up");
    stopAuto();
    assert.equal((fake.fatal[0] as LskyError).code, "WORKER_CRASH_LOOP");
    assert.match(fake.fatal[0]!.message, /Worker 1 crashed with signal SIGSEGV 3 times in a row/);
    assert.equal(fake.launched.length, 3, "no restart after giving up");
    await fake.pool.stop();
  });

  test("gives up with the app's own boot error when restarts keep failing to boot", async () => {
    const fake = await started(1);
    fake.brokenRelease = true;
    fake.current(1).exit(1);
    await until(() => fake.fatal.length === 1, "giving up");
    assert.equal((fake.fatal[0] as LskyError).code, "WORKER_BOOT_FAILED");
    assert.match(fake.fatal[0]!.message, /failed to start 3 times in a row; giving up/);
    await fake.pool.stop();
  });

  test("a start the host refuses is retried and never counts towards giving up", async () => {
    const fake = await started(1);
    fake.refuseNext = 5;
    fake.current(1).exit(1);
    await until(() => fake.launched.length === 2, "a start after the refusals");
    assert.equal(fake.pool.counters.spawnFailures, 5);
    assert.equal(fake.fatal.length, 0);
    fake.ready(fake.launched[1]!);
    await fake.pool.stop();
  });
});

describe("pool reloads and recycles with fake workers", () => {
  test("a reload replaces each worker after its replacement is ready, and resolves once the old ones exited", async () => {
    const fake = await started(2);
    const old = [fake.current(1), fake.current(2)];
    const stopAuto = fake.autoReady();
    await fake.pool.reload();
    stopAuto();
    for (const w of old) assert.deepEqual(causes(w), ["ready:booted", "draining:reload", "exited:reload"]);
    assert.deepEqual(old[0]!.drains, [{ cause: "reload", quick: false, from: "ready" }]);
    assert.ok(old.every((w) => !fake.pool.workers().includes(w.handle)));
    assert.deepEqual(states(fake), ["ready", "ready"]);
    assert.equal(fake.pool.slots[0]!.restarts, 0, "a planned exit is no restart");
    await fake.pool.stop();
  });

  test("a reload into a release that fails to boot rejects with the reason, and the old workers keep serving", async () => {
    const fake = await started(2);
    const old = [fake.current(1), fake.current(2)];
    fake.brokenRelease = true;
    await assert.rejects(fake.pool.reload(), (e: unknown) => e instanceof LskyError && /Cannot start worker 1: it exited with code 1/.test(e.message));
    assert.deepEqual(old.map((w) => w.handle.state), ["ready", "ready"]);
    assert.equal(fake.current(1), old[0]);
    assert.equal(fake.current(2), old[1]);
    assert.equal(old[0]!.drains.length, 0);
    assert.equal(fake.fatal.length, 0);
    assert.equal(fake.launched.length, 3, "the reload stopped at the first failure");
    await fake.pool.stop();
  });

  test("a stop during a reload drains the replacement still booting too, and the reload ends quietly", async () => {
    const fake = await started(2);
    const reloading = fake.pool.reload();
    await until(() => fake.launched.length === 3, "a replacement launched");
    const replacement = fake.launched[2]!;
    await fake.pool.stop();
    assert.equal(fake.pool.workers().length, 0, "no worker left running");
    await reloading;
    assert.deepEqual(causes(replacement), ["draining:stop", "exited:stop"]);
    assert.deepEqual(replacement.drains, [{ cause: "stop", quick: false, from: "starting" }]);
    assert.equal(fake.launched.length, 3, "the reload went no further");
  });

  test("a crash while draining keeps the planned cause and starts nothing", async () => {
    const fake = await started(1);
    const old = fake.current(1);
    old.stubborn = true;
    const stopAuto = fake.autoReady();
    const reloading = fake.pool.reload();
    await until(() => old.handle.state === "draining", "the old worker draining");
    old.exit(null, "SIGSEGV");
    await reloading;
    stopAuto();
    assert.deepEqual(causes(old), ["ready:booted", "draining:reload", "exited:reload"]);
    assert.equal(old.handle.exit?.signal, "SIGSEGV");
    assert.equal(fake.launched.length, 2, "no restart for a worker already replaced");
    assert.equal(fake.pool.slots[0]!.restarts, 0);
    assert.equal(fake.pool.draining.size, 0);
    await fake.pool.stop();
  });

  test("a draining worker that does not exit is killed at the deadline, its cause unchanged", async () => {
    const fake = await started(1, { drainDeadline: 5 });
    const old = fake.current(1);
    old.stubborn = true;
    const stopAuto = fake.autoReady();
    await fake.pool.reload();
    stopAuto();
    assert.deepEqual(old.signals, ["SIGKILL"]);
    assert.deepEqual(causes(old), ["ready:booted", "draining:reload", "exited:reload"]);
    await fake.pool.stop();
  });

  test("a recycle while a reload runs: the slot being replaced ignores it, another slot is recycled once", async () => {
    const fake = await started(2);
    const [one, two] = [fake.current(1), fake.current(2)];
    const reloading = fake.pool.reload();
    await until(() => fake.launched.length === 3, "slot 1's replacement launched");
    fake.pool.onMessage(one.handle, { type: "recycle", reason: "max-requests" });
    fake.pool.onMessage(two.handle, { type: "recycle", reason: "max-memory" });
    assert.equal(fake.launched.length, 4, "one recycle launched, for slot 2");
    const stopAuto = fake.autoReady();
    await reloading;
    stopAuto();
    assert.deepEqual(causes(one), ["ready:booted", "draining:reload", "exited:reload"]);
    assert.deepEqual(causes(two), ["ready:booted", "draining:max-memory", "exited:max-memory"]);
    assert.deepEqual(states(fake), ["ready", "ready"]);
    assert.equal(fake.pool.workers().length, 2);
    assert.ok(fake.pool.slots.every((s) => s.restarts === 0 && s.failures === 0));
    await fake.pool.stop();
  });

  test("a worker recycled by its TTL is replaced with the cause 'ttl'", async () => {
    const fake = await started(1, { ttl: 5 });
    const first = fake.current(1);
    const stopAuto = fake.autoReady();
    await until(() => first.handle.state === "exited", "the TTL recycle");
    stopAuto();
    assert.deepEqual(causes(first), ["ready:booted", "draining:ttl", "exited:ttl"]);
    await fake.pool.stop();
  });

  test("'ready' from a worker told to stop while it booted is ignored", async () => {
    const fake = fakePool(1);
    const starting = fake.pool.start();
    const w = fake.launched[0]!;
    w.stubborn = true;
    const stopping = fake.pool.stop();
    fake.ready(w);
    assert.equal(w.handle.state, "draining");
    w.exit(0);
    await stopping;
    await assert.rejects(starting);
    assert.deepEqual(causes(w), ["draining:stop", "exited:stop"]);
  });
});

describe("pool with other kinds", () => {
  test("keepGoing (custom processes): a boot failure at start is restarted, not thrown, and the slot is marked given up in the end", async () => {
    const fake = fakePool(2, {}, { keepGoing: true });
    fake.brokenRelease = true;
    await fake.pool.start(); // resolves: the start does not fail with its processes
    await until(() => fake.fatal.length === 2, "giving up on both slots");
    assert.equal(fake.launched.length, 6, "three boots per slot, then no more");
    assert.deepEqual(fake.pool.slots.map((slot) => [slot.givenUp, slot.worker, slot.restarts]), [[true, undefined, 3], [true, undefined, 3]]);
    assert.match(fake.fatal[0]!.message, /failed to start 3 times in a row; giving up/);
    // A reload gives each given-up slot a fresh start, with its whole count of restarts.
    fake.brokenRelease = false;
    const stopAuto = fake.autoReady();
    await fake.pool.reload();
    stopAuto();
    assert.deepEqual(fake.pool.slots.map((slot) => [slot.givenUp, slot.worker?.state, slot.failures]), [[false, "ready", 0], [false, "ready", 0]]);
    await fake.pool.stop();
  });

  test("keepGoing: a start the host refuses is retried while the other slot runs", async () => {
    const fake = fakePool(2, { readiness: "started" }, { keepGoing: true });
    fake.refuseNext = 1;
    await fake.pool.start();
    await until(() => fake.pool.readyCount() === 2, "both slots running");
    assert.equal(fake.fatal.length, 0);
    assert.equal(fake.pool.counters.spawnFailures, 1);
    await fake.pool.stop();
  });

  test("a kind ready when started needs no message", async () => {
    const fake = fakePool(2, { readiness: "started" });
    await fake.pool.start();
    assert.equal(fake.pool.readyCount(), 2);
    await fake.pool.stop();
  });

  test("a kind that shares no port drains the old process before its replacement starts", async () => {
    const fake = await started(1, { sharesPort: false });
    const old = fake.current(1);
    let oldGoneAtLaunch: boolean | undefined;
    const stopAuto = fake.autoReady();
    const reloading = fake.pool.reload();
    await until(() => fake.launched.length === 2, "the replacement");
    oldGoneAtLaunch = old.handle.state === "exited";
    await reloading;
    stopAuto();
    assert.equal(oldGoneAtLaunch, true);
    assert.deepEqual(causes(old), ["ready:booted", "draining:reload", "exited:reload"]);
    assert.equal(fake.pool.readyCount(), 1);
    await fake.pool.stop();
  });

  test("a replacement for the dashboard drains the old worker with the cause 'replaced'", async () => {
    const fake = await started(1);
    const old = fake.current(1);
    const stopAuto = fake.autoReady();
    assert.equal(await fake.pool.replaceWorker(1), true);
    stopAuto();
    await until(() => old.handle.state === "exited", "the old worker gone");
    assert.deepEqual(causes(old), ["ready:booted", "draining:replaced", "exited:replaced"]);
    assert.equal(await fake.pool.replaceWorker(9), false);
    await fake.pool.stop();
  });
});
