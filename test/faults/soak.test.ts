import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "../harness/lsky.ts";
import { openFds, residentBytes } from "../harness/proc.ts";
import { readStatus } from "../harness/status.ts";
import { fixture, selectedTargets } from "../harness/targets.ts";
import { waitFor } from "../harness/wait.ts";
import { SKIP_SLOW } from "../harness/slow.ts";
import { runWrk } from "../harness/wrk.ts";

after(killAll);

// Three minutes per target (LSKY_SOAK_SECONDS to change it while investigating).
const SECONDS = Number(process.env.LSKY_SOAK_SECONDS ?? 180);
const WARMUP_SECONDS = 10;
const MAX_GROWTH_BYTES = 10 * 1_048_576;

for (const target of selectedTargets()) {
  describe(`soak with recycling on ${target.name}`, { skip: SKIP_SLOW }, () => {
    test(`${SECONDS} s under load: supervisor memory and descriptors stay flat`, { timeout: (SECONDS + 120) * 1000 }, async () => {
      const server = await startLsky(target, [
        fixture("blocking.ts"), "--workers", "2", "--max-requests", "50000", "--ttl", "10s",
      ]);
      await runWrk({ url: `${server.url}/`, connections: 8, durationSeconds: WARMUP_SECONDS });
      await settled(target, server.port);
      const startRss = residentBytes(server.pid);
      const startFds = openFds(server.pid);
      const result = await runWrk({ url: `${server.url}/`, connections: 8, durationSeconds: SECONDS });
      await settled(target, server.port);
      const status = await readStatus(target, server.port);
      const exits = status.workers.map((w) => w.lastExit?.reason).filter(Boolean);
      const endFds = await waitFor("descriptors to return to their starting count", () => {
        const fds = openFds(server.pid);
        return fds <= startFds ? fds : undefined;
      }, 15_000).catch(() => openFds(server.pid));
      const growth = residentBytes(server.pid) - startRss;
      process.stdout.write(
        `# figure ${target.name} soak ${SECONDS}s: ${result.requests} requests, ${result.failures} failed, ` +
          `supervisor RSS ${(growth / 1_048_576).toFixed(1)} MB growth, fds ${startFds} -> ${endFds}, last exits ${exits.join(",")}\n`,
      );
      assert.ok(exits.length > 0, "workers were recycled during the soak");
      assert.ok(growth < MAX_GROWTH_BYTES, `supervisor grew ${growth} bytes`);
      assert.equal(endFds, startFds);
      assert.equal(result.failures, 0, result.output);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });
  });
}

/** Waits until no worker is starting or draining. */
async function settled(target: Parameters<typeof readStatus>[0], port: number): Promise<void> {
  await waitFor("the pool to settle", async () => {
    const status = await readStatus(target, port);
    return status.workers.every((w) => w.state === "ready") && status.workers.length === 2;
  }, 30_000, 100);
}
