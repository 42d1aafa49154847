// sockets.send(id) to a connection on the other worker: latency from the
// client's command to the other client's receipt, one at a time.
// Usage: node --import tsx scripts/bench/ws-send-latency.ts [engine] [count]
import { killAll, startLsky } from "../../test/harness/lsky.ts";
import { fixture, targetsNamed } from "../../test/harness/targets.ts";
import { openWebSocket, type RawWebSocket } from "../../test/harness/ws-client.ts";
import { percentile } from "./stats.ts";

const [name = "node", countText = "500"] = process.argv.slice(2);
const target = targetsNamed(name)[0]!;
const count = Number(countText);
const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "2", "--host", "127.0.0.1"]);
try {
  const byWorker = new Map<number, { ws: RawWebSocket; id: string }>();
  for (let tries = 0; byWorker.size < 2 && tries < 200; tries++) {
    const ws = await openWebSocket(server.port, "/ws");
    const hello = JSON.parse(await ws.nextText()) as { id: string; worker: number };
    if (byWorker.has(hello.worker)) ws.close();
    else byWorker.set(hello.worker, { ws, id: hello.id });
  }
  const from = byWorker.get(1)!.ws;
  const to = byWorker.get(2)!;
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    from.sendText(`send:${to.id}:m${i}`);
    await to.ws.nextText(new RegExp(`^m${i}$`));
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    await from.nextText(/^sent$/);
  }
  samples.sort((x, y) => x - y);
  const at = (q: number) => percentile(samples, q).toFixed(2);
  console.log(`${target.name}: sockets.send to the other worker, ${count} sends: median ${at(0.5)} ms, p99 ${at(0.99)} ms`);
} finally {
  await server.stop();
  killAll();
}
