// The app's own prom-client metrics, added up across workers on lsky's /metrics.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";

after(killAll);

// Observed job times (seconds): two per bucket of [0.1, 0.5, 1] and two past them.
const SECONDS = [0.05, 0.05, 0.3, 0.3, 0.7, 0.7, 2, 2];
// Bounds the requests sent to reach both workers (Node's workers race to accept).
const MAX_ROUNDS = 200;

/** Sends jobs, new connection each, until both workers did some; returns what was sent. */
async function jobsOnBothWorkers(url: string): Promise<{ sent: number[]; byWorker: Map<number, number> }> {
  const sent: number[] = [];
  const byWorker = new Map<number, number>();
  for (let i = 0; i < MAX_ROUNDS && (byWorker.size < 2 || sent.length < SECONDS.length); i++) {
    const seconds = SECONDS[i % SECONDS.length]!;
    const response = await fetch(`${url}/job?kind=${i % 2 ? "odd" : "even"}&seconds=${seconds}`, { headers: { connection: "close" } });
    const { worker } = await response.json() as { worker: number };
    sent.push(seconds);
    byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
  }
  return { sent, byWorker };
}

function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

for (const target of selectedTargets()) {
  describe(`the app's own metrics on ${target.name}`, () => {
    let server: LskyProcess;
    let admin: string;
    let sent: number[] = [];

    test("a counter and a histogram incremented on both workers show their sums on /metrics", async () => {
      const adminPort = await freePort();
      admin = `http://127.0.0.1:${adminPort}`;
      server = await startLsky(target, [fixture("app-metrics.ts"), "--workers", "2", "--admin", `127.0.0.1:${adminPort}`]);
      const jobs = await jobsOnBothWorkers(server.url);
      sent = jobs.sent;
      assert.equal(jobs.byWorker.size, 2, `both workers did jobs: ${JSON.stringify([...jobs.byWorker])}`);
      const text = await (await fetch(`${admin}/metrics`)).text();
      assertSums(text, sent);
      // lsky's own series are still there, and every family is declared once.
      assert.match(text, /^lsky_requests_total\{class="2xx"\} \d+$/m);
      const types = [...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
      assert.deepEqual(types, [...new Set(types)], "no family is declared twice");
    });

    test("the sums stay after a reload replaced both workers (their last counts are kept)", async () => {
      const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
      assert.equal(reload.code, 0, reload.stderr);
      const text = await waitFor("two new workers", async () => {
        const body = await (await fetch(`${admin}/metrics`)).text();
        return sample(body, 'lsky_workers{state="ready"}') === 2 && sample(body, 'lsky_worker_exits_total{reason="reload"}') === 2 ? body : undefined;
      });
      assertSums(text, sent);
    });

    test("stops with the server", async () => {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    });
  });
}

function assertSums(text: string, sent: number[]): void {
  const even = sent.filter((_, i) => i % 2 === 0).length;
  assert.equal(sample(text, 'app_jobs_total{kind="even"}'), even, text);
  assert.equal(sample(text, 'app_jobs_total{kind="odd"}'), sent.length - even, text);
  for (const le of [0.1, 0.5, 1]) {
    assert.equal(sample(text, `app_job_seconds_bucket{le="${le}"}`), sent.filter((s) => s <= le).length, `bucket le=${le}`);
  }
  assert.equal(sample(text, 'app_job_seconds_bucket{le="+Inf"}'), sent.length);
  assert.equal(sample(text, "app_job_seconds_count"), sent.length);
  const sum = sample(text, "app_job_seconds_sum")!;
  assert.ok(Math.abs(sum - sent.reduce((a, b) => a + b, 0)) < 1e-9, `sum ${sum}`);
  assert.match(text, /^# TYPE app_jobs_total counter$/m);
  assert.match(text, /^# TYPE app_job_seconds histogram$/m);
}
