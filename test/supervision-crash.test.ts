import assert from "node:assert/strict";
import { after, test } from "node:test";
import { startLoad, summary, waitForSuccesses } from "./harness/load.ts";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { allReady, statusJson, waitForStatus } from "./harness/supervision.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

describeTargets("crashed workers", (target) => {
  test("kill -9 under load: replaced with growing backoff, status shows restarts and the signal", async () => {
    const server = await startLsky(target, [fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    const load = startLoad({ url: `${server.url}/`, connections: 4, maxRequests: 200_000, maxDuration: 90_000 });
    try {
      await waitForSuccesses(load, 50);
      const before = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
      assert.equal(before.pid, server.pid);
      assert.equal(before.engine, target.engine);
      assert.equal(before.port, server.port);
      assert.match(before.version, /^\d+\.\d+\.\d+/);
      assert.equal(typeof before.uptime, "number");
      for (const w of before.workers) {
        assert.deepEqual(Object.keys(w).sort(), ["id", "inflight", "lastExit", "pid", "requests", "restarts", "rss", "state", "uptime", "websockets"]);
        assert.equal(w.restarts, 0);
        assert.equal(w.lastExit, null);
        assert.ok(w.rss > 0, `rss of worker ${w.id} is ${w.rss}`);
      }
      assert.ok(before.workers.reduce((n, w) => n + w.requests, 0) >= 50);

      // Twice in a row, well within the stable period: the second restart waits longer.
      let victim = before.workers.find((w) => w.id === 1)!.pid;
      for (const round of [1, 2]) {
        process.kill(victim, "SIGKILL");
        const after = await waitForStatus(target, server.port, `worker 1 replaced (round ${round})`, (s) => {
          const w = s.workers.find((x) => x.id === 1);
          return allReady(s, 2) && !!w && w.pid !== victim && w.restarts === round;
        });
        const w1 = after.workers.find((w) => w.id === 1)!;
        assert.deepEqual(w1.lastExit, { reason: "crashed", code: null, signal: "SIGKILL" });
        assert.equal(after.workers.find((w) => w.id === 2)!.restarts, 0);
        victim = w1.pid;
        await waitForSuccesses(load, 50);
      }
      assert.match(server.output(), /worker 1 \(pid \d+\) crashed with signal SIGKILL; restarting in 100 ms/);
      assert.match(server.output(), /worker 1 \(pid \d+\) crashed with signal SIGKILL; restarting in 200 ms/);

      const table = await runLsky(target, ["status", "--port", String(server.port)]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, new RegExp(`supervisor pid ${server.pid} `));
      assert.match(table.stdout, /ID\s+PID\s+STATE\s+UPTIME\s+REQUESTS\s+INFLIGHT\s+MEMORY\s+RESTARTS\s+LAST EXIT\s+WEBSOCKETS/);
      assert.match(table.stdout, /\n1\s+\d+\s+ready\s+.*\s2\s+crashed \(SIGKILL\)\s+\d+ open, \d+ in, \d+ out\n/);
    } finally {
      const totals = await load.stop();
      // kill -9 may reset connections on the killed worker; answers are never wrong.
      assert.equal(totals.non2xx, 0, JSON.stringify(summary(totals)));
    }
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
