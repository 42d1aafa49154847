import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import type { ClusterStatus } from "../src/cluster/status.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { send } from "./harness/http.ts";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { hasRedisServer, killAllRedis, type RedisServer, startRedis } from "./harness/redis.ts";
import { statusJson, type StatusJson } from "./harness/supervision.ts";
import { fixture, type Target } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { openWebSocket, type RawWebSocket } from "./harness/ws-client.ts";

after(killAll);
after(killAllRedis);

const scratch = mkdtempSync(join(tmpdir(), "lsky-cluster-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

interface Client {
  ws: RawWebSocket;
  id: string;
  worker: number;
}

interface Node {
  server: LskyProcess;
  admin: string;
}

async function connect(node: Node, room = "r"): Promise<Client> {
  const ws = await openWebSocket(node.server.port, `/ws?room=${room}`);
  assert.equal(ws.status, 101, `upgrade answered ${ws.status}: ${ws.body}`);
  const hello = JSON.parse(await ws.nextText()) as { id: string; worker: number };
  return { ws, ...hello };
}

/** The next text message, after proving with an echo that nothing else was queued before it. */
async function nothingQueued(client: Client, marker: string): Promise<void> {
  client.ws.sendText(`echo:${marker}`);
  assert.equal(await client.ws.nextText(), marker);
}

async function clusterOf(target: Target, node: Node): Promise<ClusterStatus> {
  const status = (await statusJson(target, node.server.port)) as StatusJson & { cluster?: ClusterStatus };
  assert.ok(status.cluster, "status has a cluster section");
  return status.cluster;
}

function waitForRedisState(target: Target, node: Node, state: ClusterStatus["state"]): Promise<ClusterStatus> {
  return waitFor(`node ${node.server.port} to see Redis ${state}`, async () => {
    const cluster = await clusterOf(target, node);
    return cluster.state === state ? cluster : undefined;
  }, 30_000, 100);
}

async function metric(node: Node, name: string): Promise<number> {
  const text = await (await fetch(`${node.admin}/metrics`)).text();
  const match = new RegExp(`^${name} (\\d+)$`, "m").exec(text);
  assert.ok(match, `${name} in /metrics`);
  return Number(match[1]);
}

/** Both nodes' subscribers are registered at Redis (after a restart ioredis subscribes again). */
function bothSubscribed(redis: RedisServer): Promise<true> {
  return waitFor("both nodes subscribed at Redis", async () => {
    const reply = await redis.command("PUBSUB NUMSUB lsky:cluster:all");
    return /:2\r\n/.test(reply) || undefined;
  }, 30_000, 50);
}

describeTargets("Cluster bus on Redis", { skip: !hasRedisServer() && "redis-server is not installed" }, (target) => {
  let redis: RedisServer;
  let a: Node;
  let b: Node;
  let a1: Client;
  let a2: Client;
  let b1: Client;

  const startNode = async (name: string, workers: number, extra: string[] = []): Promise<Node> => {
    const adminPort = await freePort();
    const server = await startLsky(target, [
      fixture("ws-app.ts"), "--workers", String(workers), "--host", "127.0.0.1", "--admin", `127.0.0.1:${adminPort}`,
      "--cluster-redis", redis.url, "--cluster-node", name, ...extra,
    ], { cwd: mkdtempSync(join(scratch, `${name}-`)) });
    return { server, admin: `http://127.0.0.1:${adminPort}` };
  };

  before(async () => {
    redis = await startRedis();
    // Node b is "not ready" without Redis (--cluster-required), node a keeps the default.
    [a, b] = await Promise.all([startNode("a", 2), startNode("b", 1, ["--cluster-required"])]);
    await Promise.all([waitForRedisState(target, a, "up"), waitForRedisState(target, b, "up")]);
    await bothSubscribed(redis);
    // One client on each of node a's two workers (the kernel spreads them), one on node b.
    const onA = new Map<number, Client>();
    await waitFor("WebSockets on both workers of node a", async () => {
      const client = await connect(a);
      if (onA.has(client.worker)) client.ws.close();
      else onA.set(client.worker, client);
      return onA.size === 2;
    }, 30_000);
    [a1, a2] = [onA.get(1)!, onA.get(2)!];
    b1 = await connect(b);
  });

  after(async () => {
    await Promise.all([a?.server.stop(), b?.server.stop()]);
    await redis?.stop();
  });

  test("ids name their node; a publish on one node reaches every subscriber of both, once", async () => {
    assert.match(a1.id, /^a~1-[0-9a-z]+-\d+$/);
    assert.match(b1.id, /^b~1-[0-9a-z]+-\d+$/);
    const before = await clusterOf(target, b);
    b1.ws.sendText("spub:r:from-b");
    for (const client of [a1, a2, b1]) assert.equal(await client.ws.nextText(), "from-b");
    a1.ws.sendText("pub:r:from-a1");
    for (const client of [a2, b1]) assert.equal(await client.ws.nextText(), "from-a1");
    for (const [i, client] of [a1, a2, b1].entries()) await nothingQueued(client, `after-publish-${i}`);
    // One Redis message for the publish, whatever the number of workers and clients.
    assert.equal((await clusterOf(target, b)).messagesOut - before.messagesOut, 1);
  });

  test("sockets.send and sockets.close reach a connection on the other node; a closed or unknown remote id is WS_GONE", async () => {
    a1.ws.sendText(`send:${b1.id}:direct`);
    assert.equal(await b1.ws.nextText(), "direct");
    assert.equal(await a1.ws.nextText(), "sent");

    const gone = await connect(b, "other");
    gone.ws.close(1000, "bye");
    await gone.ws.closed;
    await waitFor("node b to forget the closed connection", async () => {
      b1.ws.sendText("count:other");
      return (await b1.ws.nextText()) === "count:0";
    });
    a1.ws.sendText(`send:${gone.id}:late`);
    assert.equal(await a1.ws.nextText(), "error:WS_GONE");
    a1.ws.sendText("send:nowhere~1-abc-1:x");
    assert.equal(await a1.ws.nextText(), "error:WS_GONE");

    const victim = await connect(b, "other");
    a2.ws.sendText(`close:${victim.id}`);
    assert.equal(await a2.ws.nextText(), "closed:true");
    assert.equal((await victim.ws.closed).code, 1000);
  });

  test("sockets.count counts the whole cluster", async () => {
    b1.ws.sendText("count:r");
    assert.equal(await b1.ws.nextText(), "count:3");
    const extra = await connect(b, "solo");
    a1.ws.sendText("count:solo");
    assert.equal(await a1.ws.nextText(), "count:1");
    extra.ws.close();
    await extra.ws.closed;
  });

  test("an app's bus.publish on one node reaches every worker of every node, once", async () => {
    const notesOf = async (node: Node) => JSON.parse((await send(`http://127.0.0.1:${node.server.port}/bus-notes`)).body.toString()) as { worker: number; notes: unknown[] };
    assert.equal((await send(`http://127.0.0.1:${b.server.port}/bus-publish?data=from-b`)).status, 200);
    // A new connection each look: the kernel spreads them over node a's two workers.
    const heardOnA = new Map<number, unknown[]>();
    await waitFor("both workers of node a to hear node b's publish", async () => {
      const { worker, notes } = await notesOf(a);
      if (notes.includes("from-b")) heardOnA.set(worker, notes);
      return heardOnA.size === 2;
    }, 30_000, 20);
    // Then a publish the other way, which node b hears after the first (one publisher's order is kept).
    await send(`http://127.0.0.1:${a.server.port}/bus-publish?data=from-a`);
    const onB = await waitFor("node b to hear node a's publish", async () => {
      const heard = await notesOf(b);
      return heard.notes.includes("from-a") ? heard : undefined;
    });
    assert.deepEqual(onB.notes.filter((n) => n === "from-b" || n === "from-a"), ["from-b", "from-a"], "node b: its own publish once, then node a's once");
    for (const [worker, notes] of heardOnA) assert.deepEqual(notes.filter((n) => n === "from-b"), ["from-b"], `node a, worker ${worker}: once`);
  });

  test("a cluster with another --cluster-prefix on the same Redis hears none of it, and is heard by none", async () => {
    const c = await startNode("c", 1, ["--cluster-prefix", "other"]);
    try {
      await waitForRedisState(target, c, "up");
      await waitFor("node c subscribed at Redis", async () => /:1\r\n/.test(await redis.command("PUBSUB NUMSUB other:cluster:all")) || undefined, 30_000, 50);
      const c1 = await connect(c);
      b1.ws.sendText("spub:r:only-lsky");
      for (const client of [a1, a2, b1]) assert.equal(await client.ws.nextText(), "only-lsky");
      c1.ws.sendText("spub:r:only-other");
      assert.equal(await c1.ws.nextText(), "only-other");
      for (const [i, client] of [a1, a2, b1].entries()) await nothingQueued(client, `prefix-${i}`);
      await nothingQueued(c1, "prefix-c");
      c1.ws.sendText("count:r");
      assert.equal(await c1.ws.nextText(), "count:1");
      c1.ws.close();
      await c1.ws.closed;
    } finally {
      await c.server.stop();
    }
  });

  test("Redis killed: no crash, local publishes still delivered, cluster ones dropped and counted; back: delivery resumes", async () => {
    await redis.kill();
    await Promise.all([waitForRedisState(target, a, "down"), waitForRedisState(target, b, "down")]);

    assert.equal((await fetch(`${a.server.url}/whoami`)).status, 200);
    a1.ws.sendText("spub:r:local-only");
    for (const client of [a1, a2]) assert.equal(await client.ws.nextText(), "local-only");
    await nothingQueued(b1, "b-saw-nothing");
    const down = await clusterOf(target, a);
    assert.ok(down.dropped >= 1, `dropped: ${JSON.stringify(down)}`);
    assert.ok(down.linkDrops >= 1);
    assert.equal(await metric(a, "lsky_cluster_up"), 0);
    assert.ok((await metric(a, "lsky_cluster_dropped_total")) >= 1);
    const text = await runLsky(target, ["status", "--port", String(a.server.port)]);
    assert.match(text.stdout, /^cluster node a {2}redis down .* dropped [1-9]\d* {2}link drops [1-9]/m);
    const ready = await fetch(`${a.admin}/readyz`);
    assert.equal(ready.status, 200, "a node without Redis stays ready by default");
    const required = await fetch(`${b.admin}/readyz`);
    assert.equal(required.status, 503);
    assert.deepEqual(await required.json(), { status: "not ready", workers: 1, cluster: "down" });

    await redis.restart();
    await Promise.all([waitForRedisState(target, a, "up"), waitForRedisState(target, b, "up")]);
    await bothSubscribed(redis);
    b1.ws.sendText("spub:r:resumed");
    for (const client of [a1, a2, b1]) assert.equal(await client.ws.nextText(), "resumed");
    assert.equal(await metric(a, "lsky_cluster_up"), 1);
    assert.equal((await fetch(`${b.admin}/readyz`)).status, 200);
    assert.ok((await metric(a, "lsky_cluster_messages_in_total")) >= 3);
    a1.ws.sendText(`send:${b1.id}:after-restart`);
    assert.equal(await b1.ws.nextText(), "after-restart");
    assert.equal(await a1.ws.nextText(), "sent");
    assert.equal(a.server.child.exitCode, null);
    assert.equal(b.server.child.exitCode, null);
  });
});
