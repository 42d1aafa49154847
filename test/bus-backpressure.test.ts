import assert from "node:assert/strict";
import { Agent, get } from "node:http";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { allReady, waitForStatus } from "./harness/supervision.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

const stopped = new Set<number>();
after(() => {
  for (const pid of stopped) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // Gone.
    }
  }
  killAll();
});

/** GET over one kept-alive connection, so every request reaches the same worker. */
function getJson(agent: Agent, url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    }).on("error", reject);
  });
}

async function droppedMetric(adminUrl: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  return Number(/^lsky_bus_messages_dropped_total (\d+)$/m.exec(text)?.[1]);
}

describeTargets("bus fan-out to a stuck worker", (target) => {
  test("messages to a stopped worker are bounded: dropped, counted, logged once, and a request to it fails at once", async () => {
    const adminPort = await freePort();
    const adminUrl = `http://127.0.0.1:${adminPort}`;
    const server = await startLsky(target, [
      fixture("bus-flood.ts"), "--workers", "2", "--heartbeat-timeout", "0", "--keep-alive-timeout", "60s",
      "--bus-queue-limit", "256kb", "--admin", `127.0.0.1:${adminPort}`,
    ]);
    const status = await waitForStatus(target, server.port, "two ready workers", (s) => allReady(s, 2));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const live = (await getJson(agent, `${server.url}/`)).body;
    const victim = status.workers.find((w) => w.pid !== live.pid)!;
    process.kill(victim.pid, "SIGSTOP");
    stopped.add(victim.pid);

    // 1.6 MB of broadcasts from the live worker; the stopped one reads none of them.
    assert.equal((await getJson(agent, `${server.url}/flood?n=400&size=4000`)).status, 200);
    const notReading = new RegExp(`worker ${victim.id} \\(pid ${victim.pid}\\) is not reading its bus messages`, "g");
    await server.waitForOutput(notReading);
    const asked = await getJson(agent, `${server.url}/ask?to=${victim.id}`);
    assert.deepEqual([asked.status, asked.body.error], [502, "BUS_QUEUE_FULL"], server.output());
    const dropped = await droppedMetric(adminUrl);
    assert.ok(dropped > 0, `dropped ${dropped}`);
    assert.equal(server.output().match(notReading)!.length, 1, "logged once per episode, not per message");

    process.kill(victim.pid, "SIGCONT");
    stopped.delete(victim.pid);
    const caughtUp = await server.waitForOutput(new RegExp(`worker ${victim.id} \\(pid ${victim.pid}\\) caught up: (\\d+) bus messages? to it dropped`));
    assert.ok(Number(caughtUp[1]) > 0);
    // The broadcasting worker, busy in its loop, may have fallen behind too:
    // once every episode ended, /metrics counts exactly what the lines reported.
    const reported = () => [...server.output().matchAll(/caught up: (\d+) bus messages? to it dropped/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    await waitFor("/metrics to agree with the reported drops", async () => (await droppedMetric(adminUrl)) === reported());
    agent.destroy();
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
