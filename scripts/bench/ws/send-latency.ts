// sockets.send(id) to a connection on the other worker: from the client's
// command to the other client's receipt, one at a time.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAll, startLsky } from "../../../test/harness/lsky.ts";
import { fixture, targetsNamed } from "../../../test/harness/targets.ts";
import { openWebSocket, type RawWebSocket } from "../../../test/harness/ws-client.ts";
import { median } from "../stats.ts";

export async function sendLatency(engine: string, count: number): Promise<{ median: number; p99: number }> {
  const target = targetsNamed(engine)[0]!;
  // A directory of its own: lsky refuses a second server in one directory.
  const cwd = mkdtempSync(join(tmpdir(), "lsky-bench-ws-"));
  const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "2", "--host", "127.0.0.1"], { cwd });
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
      const begun = process.hrtime.bigint();
      from.sendText(`send:${to.id}:m${i}`);
      await to.ws.nextText(new RegExp(`^m${i}$`));
      samples.push(Number(process.hrtime.bigint() - begun) / 1e6);
      await from.nextText(/^sent$/);
    }
    samples.sort((x, y) => x - y);
    return { median: median(samples), p99: samples[Math.min(samples.length - 1, Math.floor(0.99 * samples.length))]! };
  } finally {
    await server.stop();
    killAll();
    rmSync(cwd, { recursive: true, force: true });
  }
}
