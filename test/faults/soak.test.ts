import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "../harness/lsky.ts";
import { openFds, residentBytes } from "../harness/proc.ts";
import { readStatus, readyPids, type Status } from "../harness/status.ts";
import { allReady, waitForStatus } from "../harness/supervision.ts";
import { fixture, selectedTargets, type Target } from "../harness/targets.ts";
import { waitFor } from "../harness/wait.ts";
import { canMakeNamespaces, makeNamespace } from "../harness/netns.ts";
import { freePort } from "../harness/ports.ts";
import { SKIP_SLOW, skipBunBesideBinary } from "../harness/slow.ts";
import { runWrk, type WrkResult } from "../harness/wrk.ts";
import { describeTargets } from "../harness/describe-targets.ts";
import { hostMigrates, toleratedResets } from "../harness/reset-bound.ts";

after(killAll);

// Two and a half minutes per target (LSKY_SOAK_SECONDS to change it while investigating).
const SECONDS = Number(process.env.LSKY_SOAK_SECONDS ?? 150);
const WARMUP_SECONDS = 10;
// Load before the first sample; the rest of SECONDS is the measured window.
const SETTLING_SECONDS = Math.min(40, Math.round(SECONDS / 3));
const MB = 1_048_576;

// What is measured, and why. Resident memory over the whole run is mostly
// warm-up, not retention: measured (2026-11-21), the engine's own code pages
// in for the first minute (+4 MB on Node, +6 MB on Bun), and the GC heap
// fills with the garbage each recycled worker leaves (its process, streams,
// sockets: ~20 KB) until the engine collects, which Bun and V8 put off while
// the heap is small. After a full collection the supervisor's heap is flat
// within ~1 KB per recycle once its JIT has warmed up (+0.3 MB over the first
// minute). So the first 50 s of load (10 s, then 40 s) are warm-up, and over
// the rest (110 s) the test asserts on:
// - the heap after a full collection (the supervisor collects before each
//   status report with LSKY_STATUS_GC=1): at most 4 KB per recycle, so that a
//   leak of 10 KB per recycle fails (one added on purpose in pool.ts measured
//   9.1 KB per recycle against a 496 KB bound). --ttl 2s recycles each worker at least
//   every 2 s (plus its replacement's boot) whatever the throughput, so the
//   window holds 80 recycles or more (Node, the slowest, had 100 in 120 s
//   on 2026-12-01; fewer seconds fail) and
//   the bound (320 KB or more) stays above the noise: Bun's heap
//   after a collection varies by up to ~0.5 MB between reports, which the
//   lowest of a few reports smooths;
// - resident memory, also right after a collection, for native memory;
// - open descriptors, for leaked handles.
const MIN_RECYCLES = 80;
const HEAP_PER_RECYCLE_BYTES = 4 * 1024;
const MAX_RSS_GROWTH_BYTES = 10 * MB;
const REPORTS_PER_SAMPLE = 5;
const CONNECTIONS = 8;
// Lets the supervisor collect its garbage when status asks (Bun needs no flag).
// The soak runs, where it can (root), in a network namespace of its own with
// tcp_migrate_req=1, the setting lsky asks for at start: about 200 recycles
// under load would otherwise meet the resets that setting prevents (the storm
// case measures those), and this case is about the supervisor, not them.
const GC_ENV = { LSKY_STATUS_GC: "1", NODE_OPTIONS: "--expose-gc", DENO_V8_FLAGS: "--expose-gc" };

// The supervisor is the same code on every engine; what differs is the
// engine it runs on (the binary stands for Bun, see skipBunBesideBinary).
function soakSkip(target: Target): string | false {
  return SKIP_SLOW || skipBunBesideBinary(target, selectedTargets());
}

describeTargets("soak with recycling", (target) => {
  test(`${SECONDS} s under load: supervisor memory and descriptors stay flat`, { timeout: (SECONDS + 120) * 1000, skip: soakSkip(target) }, async (t) => {
    const namespace = canMakeNamespaces() ? makeNamespace({ "net.ipv4.tcp_migrate_req": "1" }) : undefined;
    // If the test fails with the server still running inside, deleting the
    // namespace only removes its name; killAll stops the server at the end.
    t.after(() => namespace?.remove());
    const server = await startLsky(target, [
      fixture("blocking.ts"), "--workers", "2", "--max-requests", "50000", "--ttl", "2s",
    ], { env: GC_ENV, prefix: namespace?.exec, port: namespace ? await freePort() : undefined });
    // Also when the test fails: a server left running in this directory
    // would make the next target's start be refused as a second server.
    t.after(() => server.stop());
    const load = (seconds: number) =>
      runWrk({ url: `${server.url}/`, connections: CONNECTIONS, durationSeconds: seconds, prefix: namespace?.exec });
    await load(WARMUP_SECONDS);
    const startFds = await quietFds(target, server);
    const startRss = residentBytes(server.pid);
    const warm = await load(SETTLING_SECONDS);
    await settled(target, server.port);
    const first = await sample(target, server);
    const rest = await load(SECONDS - SETTLING_SECONDS);
    const status = await settled(target, server.port);
    const last = await sample(target, server);
    const endFds = await waitFor("descriptors to return to their starting count", () => {
      const fds = openFds(server.pid);
      return fds <= startFds ? fds : undefined;
    }, 15_000).catch(() => openFds(server.pid));

    const recycles = last.recycles - first.recycles;
    const heapGrowth = last.heapUsed - first.heapUsed;
    const heapBound = HEAP_PER_RECYCLE_BYTES * recycles;
    const rssGrowth = last.rss - first.rss;
    const failures = warm.failures + rest.failures;
    const exits = status.workers.map((w) => w.lastExit?.reason).filter(Boolean);
    process.stdout.write(
      `# figure ${target.name} soak ${SECONDS}s: ${warm.requests + rest.requests} requests, ${failures} failed, ` +
        `${last.recycles} recycles; supervisor RSS ${mb(residentBytes(server.pid) - startRss)} MB growth since warm-up, ` +
        `over the window (${recycles} recycles): heap after GC ${kb(heapGrowth)} KB ` +
        `(${kb(heapGrowth / Math.max(recycles, 1))} KB per recycle; bound ${kb(heapBound)} KB), ` +
        `RSS after GC ${mb(rssGrowth)} MB; fds ${startFds} -> ${endFds}, last exits ${exits.join(",")}\n`,
    );
    assert.ok(first.collected && last.collected, "the supervisor collected its garbage before measuring");
    assert.ok(recycles >= MIN_RECYCLES, `only ${recycles} recycles in the measured window`);
    assert.ok(heapGrowth < heapBound, `supervisor heap grew ${heapGrowth} bytes over ${recycles} recycles`);
    assert.ok(rssGrowth < MAX_RSS_GROWTH_BYTES, `supervisor RSS grew ${rssGrowth} bytes`);
    // Not above the start: a leak adds descriptors. The start can be one
    // higher than the quiet count (a status connection the supervisor has
    // not closed yet when counted, seen in CI as 20 -> 19), never lower.
    assert.ok(endFds <= startFds, `supervisor descriptors ${startFds} -> ${endFds}`);
    // Recycling closes keep-alive connections, so wrk opens new ones; Deno.serve resets a few
    // accepted as a worker stops (the documented rate, reset-bound.ts). Each recycle closes at
    // most the 8 connections.
    const newConnections = CONNECTIONS * (last.recycles + 1);
    const bound = toleratedResets({ engine: target.engine, migrate: namespace !== undefined || hostMigrates(), newConnections });
    assert.equal(warm.non2xx + rest.non2xx, 0, `${warm.output}\n${rest.output}`);
    assert.ok(failures <= bound, `${failures} failed, at most ${bound} tolerated\n${warm.output}\n${rest.output}`);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});

interface MemorySample {
  heapUsed: number;
  rss: number;
  collected: boolean;
  /** Workers recycled so far, from the supervisor's log lines. */
  recycles: number;
}

/**
 * The supervisor's memory right after a full collection (the lowest of a few
 * reports: on Bun the first collection after a while leaves more behind than
 * the next), and the recycles so far.
 */
async function sample(target: Target, server: LskyProcess): Promise<MemorySample> {
  const recycles = server.stdout().match(/is being recycled/g)?.length ?? 0;
  const reports: NonNullable<Status["supervisor"]>[] = [];
  for (let i = 0; i < REPORTS_PER_SAMPLE; i++) {
    const { supervisor } = await readStatus(target, server.port);
    assert.ok(supervisor, "status reports the supervisor's memory");
    reports.push(supervisor);
  }
  return {
    heapUsed: Math.min(...reports.map((r) => r.heapUsed)),
    rss: Math.min(...reports.map((r) => r.rss)),
    collected: reports.every((r) => r.collected),
    recycles,
  };
}

/**
 * The supervisor's descriptors while no worker is starting or draining: with
 * --ttl 2s a recycle can begin at any moment, so the count is taken between
 * two reports that show the same two ready workers.
 */
async function quietFds(target: Target, server: LskyProcess): Promise<number> {
  return waitFor("a count of descriptors between recycles", async () => {
    const before = await settled(target, server.port);
    const fds = openFds(server.pid);
    const after = await readStatus(target, server.port);
    return after.workers.length === 2 && readyPids(after).join() === readyPids(before).join() ? fds : undefined;
  }, 30_000, 0);
}

/** Waits until no worker is starting or draining. */
function settled(target: Target, port: number): Promise<Status> {
  return waitForStatus(target, port, "the pool to settle", (status) => allReady(status, 2));
}

function mb(bytes: number): string {
  return (bytes / MB).toFixed(1);
}

function kb(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
