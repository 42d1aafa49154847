// Two lsky nodes (one worker each) on one redis-server of its own: the
// latency of a publish and of sockets.send from a client on node a to a
// client on node b (one at a time), and the rate of a burst of publishes.
// Usage: node --import tsx scripts/bench/ws/cluster-latency.ts [engine] [count]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAll, type LskyProcess, startLsky } from "../../../test/harness/lsky.ts";
import { startRedis } from "../../../test/harness/redis.ts";
import { fixture, targetsNamed } from "../../../test/harness/targets.ts";
import { openWebSocket, type RawWebSocket } from "../../../test/harness/ws-client.ts";
import { waitFor } from "../../../test/harness/wait.ts";
import { median } from "../stats.ts";

const engine = process.argv[2] ?? "bun";
const count = Number(process.argv[3] ?? 500);
const target = targetsNamed(engine)[0]!;
const scratch = mkdtempSync(join(tmpdir(), "lsky-bench-cluster-"));

function summary(samples: number[]): string {
  samples.sort((x, y) => x - y);
  const p99 = samples[Math.min(samples.length - 1, Math.floor(0.99 * samples.length))]!;
  return `median ${median(samples).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`;
}

async function client(node: LskyProcess): Promise<{ ws: RawWebSocket; id: string }> {
  const ws = await openWebSocket(node.port, "/ws?room=r");
  const hello = JSON.parse(await ws.nextText()) as { id: string };
  return { ws, id: hello.id };
}

async function timed(count: number, once: (i: number) => Promise<void>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const begun = process.hrtime.bigint();
    await once(i);
    samples.push(Number(process.hrtime.bigint() - begun) / 1e6);
  }
  return samples;
}

const redis = await startRedis();
try {
  const node = (name: string) => startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1",
    "--cluster-redis", redis.url, "--cluster-node", name], { cwd: mkdtempSync(join(scratch, `${name}-`)) });
  const [a, b] = await Promise.all([node("a"), node("b")]);
  await waitFor("both nodes subscribed", async () => /:2\r\n/.test(await redis.command("PUBSUB NUMSUB lsky:cluster:all")) || undefined, 30_000);
  const from = await client(a);
  const to = await client(b);
  const publish = await timed(count, async (i) => {
    from.ws.sendText(`spub:r:p${i}`);
    await to.ws.nextText(new RegExp(`^p${i}$`));
    await from.ws.nextText(new RegExp(`^p${i}$`));
  });
  const send = await timed(count, async (i) => {
    from.ws.sendText(`send:${to.id}:s${i}`);
    await to.ws.nextText(new RegExp(`^s${i}$`));
    await from.ws.nextText(/^sent$/);
  });
  const burst = count * 10;
  const begun = process.hrtime.bigint();
  for (let i = 0; i < burst; i++) from.ws.sendText(`spub:r:b${i}`);
  await to.ws.nextText(new RegExp(`^b${burst - 1}$`));
  const seconds = Number(process.hrtime.bigint() - begun) / 1e9;
  console.log(`${engine}: cross-node publish ${summary(publish)}; cross-node sockets.send ${summary(send)}; ` +
    `burst of ${burst} publishes received on node b at ${Math.round(burst / seconds)} messages/s`);
  await Promise.all([a.stop(), b.stop()]);
} finally {
  killAll();
  await redis.stop();
  rmSync(scratch, { recursive: true, force: true });
}
