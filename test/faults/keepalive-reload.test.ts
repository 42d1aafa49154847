import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { startKeepAliveLoad } from "../harness/keepalive-load.ts";
import { killAll, runLsky, startLsky } from "../harness/lsky.ts";
import { canMakeNamespaces, makeNamespace } from "../harness/netns.ts";
import { freePort } from "../harness/ports.ts";
import { toleratedResets } from "../harness/reset-bound.ts";
import { fixture, selectedTargets, type Target } from "../harness/targets.ts";
import { skipBunBesideBinary } from "../harness/slow.ts";

after(killAll);

// Many keep-alive clients that each send a request every ~5 s, through
// several reloads. The drain must not close a connection as its client sends
// the next request on it. The keep-alive timeout is 10 s: at the default 5 s,
// Bun's own idle timer (4 s granularity) closes some connections of clients
// that wait 4.5 s even with no reload at all (docs/RELIABILITY.md).
// 10,000 clients is the documented run (LSKY_KEEPALIVE_CLIENTS=10000); CI
// uses 2,000 to stay within its time on a 2-core machine.
const CLIENTS = Number(process.env.LSKY_KEEPALIVE_CLIENTS ?? 2_000);
const RELOADS = Number(process.env.LSKY_KEEPALIVE_RELOADS ?? 3);
const INTERVAL_MS = 5_000;
const MAX_SECONDS = 600;
const SAFETY_MS = 180_000;

// tcp_migrate_req=0 only affects the reconnections here, and the storm suite
// (a new connection for every request, far more of them) measures that on
// every target; CI runs this case at 0 on the binary alone, where Bun's
// losses at 0 were largest (docs/RELIABILITY.md). LSKY_KEEPALIVE_MIGRATE=0
// runs it everywhere.
const MIGRATE_ZERO_EVERYWHERE = process.env.LSKY_KEEPALIVE_MIGRATE === "0";
const migrateZeroSkip = (target: Target) =>
  !MIGRATE_ZERO_EVERYWHERE && target.name !== "binary" && 'the storm suite covers new connections at 0 (LSKY_KEEPALIVE_MIGRATE=0 runs it)';

const rootOnly = canMakeNamespaces() ? false : "needs root and iproute2 to make a network namespace";

// Deno.serve (Deno's default server) cannot keep this promise: its shutdown()
// drops the connections it accepted but had not read yet (measured
// 2026-12-06: 3, 5 and 7 of about 113,000 requests reset in three runs of
// 10,000 clients, the 7 all on connections opened for the request, none on
// a kept-alive one; 0 of 22,852 and 1 of 23,598 with 2,000; 3 reloads;
// docs/RELIABILITY.md).
// On Deno the promise is tested on node:http (--deno-server node), and
// Deno.serve's run asserts that it loses requests only to resets, never to a
// wrong answer.
const DENO_SERVERS = [{ args: ["--deno-server", "node"], title: " with --deno-server node", keepsPromise: true },
  { args: [], title: " on Deno.serve (the default)", keepsPromise: false }];

for (const target of selectedTargets()) {
  const servers = target.engine === "deno" ? DENO_SERVERS : [{ args: [] as string[], title: "", keepsPromise: true }];
  for (const migrate of ["1", "0"] as const) for (const { args, title, keepsPromise } of servers) {
    if (!keepsPromise && migrate === "0") continue;
    describe(`${CLIENTS} keep-alive clients through ${RELOADS} reloads on ${target.name}${title}, tcp_migrate_req=${migrate}`, {
      skip: rootOnly || skipBunBesideBinary(target, selectedTargets()) || (migrate === "0" && migrateZeroSkip(target)),
    }, () => {
      test("loses no request to the drain", { timeout: MAX_SECONDS * 1000 }, async () => {
        const namespace = makeNamespace({ "net.ipv4.tcp_migrate_req": migrate });
        const raiseLimit = ["sh", "-c", 'ulimit -n "$(ulimit -Hn)" && exec "$@"', "sh"];
        try {
          const port = await freePort();
          const server = await startLsky(target, [
            fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1", "--keep-alive-timeout", "10s", ...args,
          ], {
            prefix: [...namespace.exec, ...raiseLimit],
            port,
          });
          try {
            const load = startKeepAliveLoad({
              url: `http://127.0.0.1:${port}/`, clients: CLIENTS, intervalMs: INTERVAL_MS, maxSeconds: MAX_SECONDS, prefix: namespace.exec,
            });
            let result;
            let reloaded = 0;
            try {
              await load.ready;
              // Safety bounds only: a busy 2-core host serves 10,000 clients slowly.
              await load.waitForSuccesses(CLIENTS, SAFETY_MS);
              for (; reloaded < RELOADS; reloaded++) {
                const reload = await runLsky(target, ["reload", "--port", String(port)], {}, 120_000);
                assert.equal(reload.code, 0, reload.stderr);
                // Every client has been answered again by the new workers.
                await load.waitForSuccesses(CLIENTS, SAFETY_MS);
              }
            } finally {
              result = await load.stop();
            }
            process.stdout.write(
              `# figure ${target.name}${title} ${CLIENTS} keep-alive clients, ${reloaded} reloads, tcp_migrate_req=${migrate}: ` +
                `${result.failures} failed of ${result.requests} (${result.connections - CLIENTS} reconnections; errors ${JSON.stringify(result.errors)} ` +
                `(${result.failedOn.reused} on kept-alive connections, ${result.failedOn.fresh} on new ones), non-2xx ${result.non2xx})\n` +
                result.samples.map((sample) => `#   ${sample}\n`).join(""),
            );
            const bound = toleratedResets({ engine: target.engine, migrate: migrate === "1", newConnections: result.connections - CLIENTS });
            assert.equal(result.non2xx, 0, JSON.stringify(result));
            if (!keepsPromise) assert.deepEqual(Object.keys(result.errors).filter((code) => code !== "ECONNRESET"), [], JSON.stringify(result));
            else assert.ok(result.failures <= bound, `${result.failures} failed, at most ${bound} tolerated: ${JSON.stringify(result)}`);
            assert.deepEqual(await server.stop(), { code: 0, signal: null });
          } finally {
            // A failed case must not leave its server running: a later start in
            // this directory would be refused as a second server.
            await server.stop();
          }
        } finally {
          namespace.remove();
        }
      });
    });
  }
}
