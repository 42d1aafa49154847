import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { startLoad, summary, waitForSuccesses } from "./harness/load.ts";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { hostMigrates, toleratedResets } from "./harness/reset-bound.ts";
import { allReady, waitForStatus } from "./harness/supervision.ts";
import { fixture, selectedTargets, type Target } from "./harness/targets.ts";
import { skipBunBesideBinary } from "./harness/slow.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const RELOADS = 10;

async function body(url: string): Promise<string> {
  const response = await fetch(url);
  assert.equal(response.status, 200);
  return (await response.text()).trim();
}

/** A release directory: app.ts imports its text from message.ts. */
function writeRelease(dir: string, text: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "message.ts"), `export const message = ${JSON.stringify(text)};\n`);
  writeFileSync(join(dir, "app.ts"), `import { message } from "./message.ts";\nexport default { fetch: () => new Response(message) };\n`);
}

/**
 * Runs `reloads` reloads while `load` runs (each reload once the load saw 20
 * more successes), stops the load, and checks it against the reset bound.
 */
async function reloadsUnderLoad(
  target: Target,
  port: number,
  load: ReturnType<typeof startLoad>,
  reloads: number,
  checkReload: (reload: Awaited<ReturnType<typeof runLsky>>, i: number) => void,
) {
  let totals;
  try {
    await waitForSuccesses(load, 100);
    for (let i = 1; i <= reloads; i++) {
      checkReload(await runLsky(target, ["reload", "--port", String(port)]), i);
      await waitForSuccesses(load, 20);
    }
  } finally {
    totals = await load.stop();
  }
  const bound = toleratedResets({ engine: target.engine, migrate: hostMigrates(), newConnections: totals.connections });
  assert.ok(totals.errors <= bound, `${totals.errors} failed, at most ${bound} tolerated: ${JSON.stringify(summary(totals))}`);
  assert.equal(totals.non2xx, 0, JSON.stringify(summary(totals)));
  return totals;
}

describeTargets("reload", (target) => {
  test(`${RELOADS} reloads in a row under keep-alive load fail no request`, { skip: skipBunBesideBinary(target, selectedTargets()) }, async () => {
    const server = await startLsky(target, [fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    try {
      // Bounded by time: at up to 30k requests/s here, 10 reloads of up to 5 s each (Deno's
      // keep-alive drain) would outlast a bound of 1,000,000 requests.
      const load = startLoad({ url: `${server.url}/`, connections: 8, maxRequests: 10_000_000, maxDuration: 120_000 });
      const totals = await reloadsUnderLoad(target, server.port, load, RELOADS, (reload, i) => {
        assert.equal(reload.code, 0, `reload ${i}: ${reload.stdout}${reload.stderr}`);
        assert.match(reload.stdout, /^Reloaded 2 workers in \d+ ms\n$/);
      });
      // The requests were served by many generations of workers.
      assert.ok(totals.pids.size > 2 * 3, `only ${totals.pids.size} worker pids answered`);
      const status = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
      for (const w of status.workers) assert.deepEqual(w.lastExit, { reason: "reload", code: 0, signal: null });
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    } finally {
      // A failure must not leave this directory's server in the way of the next test.
      await server.stop();
    }
  });

  // Node workers share the cluster primary's listener, so even clients that
  // open a new connection per request lose nothing (Bun and Deno need
  // tcp_migrate_req=1 for that: see docs/OPERATIONS.md).
  test("reloads under new-connection-per-request load fail no request", { skip: target.name !== "node" && "SO_REUSEPORT engines: documented limit" }, async () => {
    const server = await startLsky(target, [fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    try {
      const load = startLoad({ url: `${server.url}/`, connections: 8, maxRequests: 10_000_000, maxDuration: 120_000, keepAlive: false });
      await reloadsUnderLoad(target, server.port, load, 5, (reload) => assert.equal(reload.code, 0));
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    } finally {
      await server.stop();
    }
  });

  test("serves new code after reload, also when a symlinked release directory is swapped", async () => {
    const root = mkdtempSync(join(tmpdir(), "lsky-reload-"));
    try {
      writeRelease(join(root, "releases", "a"), "release a");
      writeRelease(join(root, "releases", "b"), "release b");
      symlinkSync(join(root, "releases", "a"), join(root, "current"));
      const server = await startLsky(target, [join(root, "current", "app.ts"), "--workers", "1", "--host", "127.0.0.1"]);
      assert.equal(await body(server.url), "release a");

      // An edit in place (of an imported module) is picked up.
      writeFileSync(join(root, "releases", "a", "message.ts"), `export const message = "release a, edited";\n`);
      assert.equal((await runLsky(target, ["reload", "--port", String(server.port)])).code, 0);
      assert.equal(await body(server.url), "release a, edited");

      // A deploy swaps the symlink atomically (rename over it), then reloads with SIGHUP.
      symlinkSync(join(root, "releases", "b"), join(root, "next"));
      renameSync(join(root, "next"), join(root, "current"));
      server.signal("SIGHUP");
      await waitFor("the SIGHUP reload to finish", () => (server.output().match(/reload finished in \d+ ms/g)?.length ?? 0) === 2);
      assert.equal(await body(server.url), "release b");
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
