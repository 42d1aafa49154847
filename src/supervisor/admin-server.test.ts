import assert from "node:assert/strict";
import { test } from "node:test";
import { createAdminHandler } from "./admin-server.ts";

const get = (path: string) => new Request(`http://admin${path}`);

test("/readyz is 503 while no worker is ready and 200 once one is", async () => {
  let ready = 0;
  const handler = createAdminHandler({ readyCount: () => ready }, () => "");
  const down = await handler(get("/readyz"));
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { status: "not ready", workers: 0 });
  ready = 1;
  assert.equal((await handler(get("/readyz"))).status, 200);
});

test("/readyz with --cluster-required is 503 while Redis is away, and says so", async () => {
  let redisUp = false;
  const handler = createAdminHandler({ readyCount: () => 2 }, () => "", undefined, () => redisUp);
  const down = await handler(get("/readyz"));
  assert.equal(down.status, 503);
  assert.deepEqual(await down.json(), { status: "not ready", workers: 2, cluster: "down" });
  redisUp = true;
  const up = await handler(get("/readyz"));
  assert.equal(up.status, 200);
  assert.deepEqual(await up.json(), { status: "ready", workers: 2, cluster: "up" });
});

test("/healthz is 200 whatever the workers do; /metrics renders; others are 404", async () => {
  const handler = createAdminHandler({ readyCount: () => 0 }, () => "lsky_uptime_seconds 1\n");
  assert.equal((await handler(get("/healthz"))).status, 200);
  const metrics = await handler(get("/metrics"));
  assert.match(metrics.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  assert.equal(await metrics.text(), "lsky_uptime_seconds 1\n");
  assert.equal((await handler(get("/other"))).status, 404);
});
