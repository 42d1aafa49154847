import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { startPrometheus } from "./harness/prometheus.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const REQUESTS = 25;
// The first test also sends one request to the public port.
const EXPECTED_2XX = REQUESTS + 1;

describeTargets("admin listener and metrics", (target) => {
  let server: LskyProcess;
  let admin: string;

  test("starts the admin listener on its own port", async () => {
    const adminPort = await freePort();
    admin = `http://127.0.0.1:${adminPort}`;
    server = await startLsky(target, [fixture("echo.ts"), "--workers", "2", "--admin", `127.0.0.1:${adminPort}`]);
    assert.match(server.stdout(), new RegExp(`admin listener .* at http://127\\.0\\.0\\.1:${adminPort}`));
    const onPublicPort = await fetch(`${server.url}/metrics`);
    assert.match(onPublicPort.headers.get("content-type") ?? "", /^application\/json/, "the app, not lsky, answers /metrics on the public port");
    await onPublicPort.body?.cancel();
  });

  test("/healthz and /readyz answer 200 while workers are ready", async () => {
    const health = await fetch(`${admin}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const ready = await fetch(`${admin}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: "ready", workers: 2 });
    assert.equal((await fetch(`${admin}/nope`)).status, 404);
  });

  test("a real Prometheus scrapes the request count aggregated across workers", async () => {
    for (let i = 0; i < REQUESTS; i++) assert.equal((await fetch(`${server.url}/n/${i}`)).status, 200);
    const prometheus = await startPrometheus(new URL(admin).host);
    try {
      const count = await waitFor("Prometheus to see every request", async () => {
        const value = await prometheus.query('sum(lsky_requests_total{class="2xx"})');
        return value !== undefined && value >= EXPECTED_2XX ? value : undefined;
      }, 30_000, 250);
      assert.equal(count, EXPECTED_2XX);
      assert.equal(await prometheus.query("sum(lsky_workers)"), 2);
    } finally {
      await prometheus.stop();
    }
  });

  test("the exposition lists every metric family", async () => {
    const text = await (await fetch(`${admin}/metrics`)).text();
    for (const family of [
      "lsky_requests_total", "lsky_request_duration_seconds_bucket", "lsky_requests_in_flight",
      "lsky_worker_resident_memory_bytes", "lsky_worker_event_loop_lag_seconds", "lsky_workers",
      "lsky_worker_exits_total", "lsky_uptime_seconds",
      "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds", "process_start_time_seconds",
    ]) assert.match(text, new RegExp(`^# TYPE ${family.replace(/_bucket$/, "")} `, "m"));
    assert.match(text, /^lsky_request_duration_seconds_bucket\{le="\+Inf"\} \d+$/m);
    // Per-worker series by slot only: a pid label would start new series on every restart.
    assert.doesNotMatch(text, /pid="/);
    assert.match(text, /^lsky_worker_resident_memory_bytes\{worker="1"\} [1-9]\d*$/m);
    assert.ok(Number(/^process_resident_memory_bytes (\d+)$/m.exec(text)?.[1]) > 0, text);
    assert.ok(Number(/^process_open_fds (\d+)$/m.exec(text)?.[1]) > 0, text);
    const started = Number(/^process_start_time_seconds (\d+)$/m.exec(text)?.[1]);
    assert.ok(started > 1_600_000_000 && started <= Date.now() / 1000 + 1, `process_start_time_seconds ${started}`);
  });

  test("stops with the server", async () => {
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
