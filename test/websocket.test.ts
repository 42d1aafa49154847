import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { statusJson } from "./harness/supervision.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { openWebSocket, type RawWebSocket } from "./harness/ws-client.ts";
import { freePort } from "./harness/ports.ts";
import { pythonPeer } from "./harness/ws-peer.ts";

after(killAll);

interface Hello {
  id: string;
  worker: number;
  pid: number;
}

interface Client {
  ws: RawWebSocket;
  hello: Hello;
}

/** Opens a WebSocket on the fixture and reads its hello (id, worker, pid). */
async function connect(server: LskyProcess, query = ""): Promise<Client> {
  const ws = await openWebSocket(server.port, `/ws${query}`);
  assert.equal(ws.status, 101, `upgrade answered ${ws.status}: ${ws.body}`);
  const hello = JSON.parse(await ws.nextText()) as Hello;
  return { ws, hello };
}

/**
 * Opens connections until one landed on each of workers 1 and 2 (the kernel,
 * or Node's cluster, spreads them); the others are closed.
 */
async function onBothWorkers(server: LskyProcess, query: string): Promise<[Client, Client]> {
  const found = new Map<number, Client>();
  await waitFor("WebSockets on workers 1 and 2", async () => {
    const client = await connect(server, query);
    if (found.has(client.hello.worker)) client.ws.close();
    else found.set(client.hello.worker, client);
    return found.size === 2;
  }, 30_000);
  return [found.get(1)!, found.get(2)!];
}

/** Next text message, after an echo marker proves nothing else was queued before it. */
async function nothingBefore(ws: RawWebSocket, marker: string): Promise<string> {
  ws.sendText(`echo:${marker}`);
  return ws.nextText();
}

for (const target of selectedTargets()) {
  describe(`WebSocket on ${target.name}`, () => {
    let server: LskyProcess;
    let admin: string;
    let a: Client;
    let b: Client;

    test("echoes text and binary; a request the app does not upgrade gets the app's response", async () => {
      const adminPort = await freePort();
      admin = `http://127.0.0.1:${adminPort}`;
      server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "2", "--host", "127.0.0.1", "--ws-max-message", "4kb", "--admin", `127.0.0.1:${adminPort}`]);
      const { ws, hello } = await connect(server);
      assert.match(hello.id, /^[12]-[0-9a-z]+-\d+$/);
      ws.sendText("echo:héllo");
      assert.equal(await ws.nextText(), "héllo");
      ws.sendBinary(new Uint8Array([0, 1, 2, 255]));
      assert.deepEqual([...(await ws.next()).binary!], [0, 1, 2, 255]);
      ws.close(1000, "bye");
      assert.equal((await ws.closed).code, 1000);
      const refused = await openWebSocket(server.port, "/ws?token=bad");
      assert.equal(refused.status, 403);
      assert.equal(refused.body, "no entry\n");
    });

    test("python3-websockets, an independent client, gets its echo", async () => {
      const peer = await pythonPeer(`ws://127.0.0.1:${server.port}/ws`, "from python");
      assert.equal(peer.code, 0, peer.stderr);
      assert.match(peer.lines[0]!, /"id":"[12]-/);
      assert.equal(peer.lines[1], "from python");
    });

    test("ws.publish and sockets.publish reach subscribers on both workers, sockets.send reaches the other worker", async () => {
      [a, b] = await onBothWorkers(server, "?room=r");
      assert.notEqual(a.hello.pid, b.hello.pid);
      a.ws.sendText("pub:r:from-a");
      assert.equal(await b.ws.nextText(), "from-a");
      // The publisher does not get its own message.
      assert.equal(await nothingBefore(a.ws, "marker-a"), "marker-a");
      b.ws.sendText("spub:r:to-all");
      assert.equal(await a.ws.nextText(), "to-all");
      assert.equal(await b.ws.nextText(), "to-all");
      a.ws.sendText(`send:${b.hello.id}:direct`);
      assert.equal(await b.ws.nextText(), "direct");
      assert.equal(await a.ws.nextText(), "sent");
      a.ws.sendText("count:r");
      assert.equal(await a.ws.nextText(/^count:/), "count:2");
    });

    test("ws.publish reaches another subscriber on the publisher's worker (Bun's own fan-out there) but not the publisher", async () => {
      // A second client on worker 1, beside a (the kernel spreads connections).
      const twin = await waitFor("a second WebSocket on worker 1", async () => {
        const client = await connect(server, "?room=r");
        if (client.hello.worker === 1) return client;
        client.ws.close();
        return undefined;
      }, 30_000);
      a.ws.sendText("pub:r:local-and-remote");
      assert.equal(await twin.ws.nextText(), "local-and-remote");
      assert.equal(await b.ws.nextText(), "local-and-remote");
      assert.equal(await nothingBefore(a.ws, "marker-a2"), "marker-a2");
      twin.ws.sendText("spub:r:server-wide");
      for (const client of [a, twin, b]) assert.equal(await client.ws.nextText(), "server-wide");
      twin.ws.close();
      await twin.ws.closed;
    });

    test("lsky status shows each worker's open sockets and message counters", async () => {
      // Workers report every heartbeat; wait for the report that has both sockets.
      const report = await waitFor("status with a socket open on each worker", async () => {
        const status = await statusJson(target, server.port);
        return status.workers.every((w) => w.websockets?.open === 1) && status;
      });
      for (const worker of report.workers) assert.ok(worker.websockets!.messagesIn >= 1, JSON.stringify(worker));
      const table = await runLsky(target, ["status", "--port", String(server.port)]);
      assert.equal(table.code, 0, table.stderr);
      assert.match(table.stdout, /WEBSOCKETS/);
      assert.equal(table.stdout.match(/ 1 open, \d+ in, \d+ out/g)?.length, 2, table.stdout);
    });

    test("/metrics on the admin listener shows each worker's open socket and its messages", async () => {
      const text = await waitFor("metrics with a socket open on each worker", async () => {
        const body = await (await fetch(`${admin}/metrics`)).text();
        return body.match(/^lsky_websocket_connections\{worker="\d+"\} 1$/gm)?.length === 2 && body;
      });
      assert.match(text, /^lsky_websocket_messages_total\{worker="1",direction="in"\} [1-9]\d*$/m);
      assert.match(text, /^lsky_websocket_messages_total\{worker="2",direction="out"\} [1-9]\d*$/m);
    });

    test("sockets.send to a closed or unknown id rejects with WS_GONE and reaches nobody", async () => {
      b.ws.close();
      await b.ws.closed;
      await waitFor("WS_GONE for the closed connection", async () => {
        a.ws.sendText(`send:${b.hello.id}:late`);
        return (await a.ws.nextText(/^(sent|error:)/)) === "error:WS_GONE";
      });
      for (const id of ["2-zzzz-1", "1-zzzz-1", "nonsense"]) {
        a.ws.sendText(`send:${id}:x`);
        assert.equal(await a.ws.nextText(/^(sent|error:)/), "error:WS_GONE", id);
      }
    });

    test("a message above --ws-max-message closes the connection with 1009", async () => {
      const { ws } = await connect(server);
      ws.sendText(`echo:${"x".repeat(5000)}`);
      assert.equal((await ws.closed).code, 1009);
    });

    test("reload closes open sockets with 1012, and a reconnect reaches a new worker", async () => {
      const { ws, hello } = await connect(server);
      const reload = runLsky(target, ["reload", "--port", String(server.port)]);
      assert.equal((await ws.closed).code, 1012);
      assert.equal((await reload).code, 0);
      const again = await connect(server);
      assert.notEqual(again.hello.pid, hello.pid);
      again.ws.sendText("echo:after reload");
      assert.equal(await again.ws.nextText(), "after reload");
      // The old worker is gone; its replacement has the same number.
      again.ws.sendText(`send:${hello.id}:stale`);
      assert.equal(await again.ws.nextText(/^(sent|error:)/), "error:WS_GONE");
      a = again;
    });

    test("stop closes open sockets with 1001 and exits 0", async () => {
      const closed = a.ws.closed;
      const exit = await server.stop();
      assert.equal((await closed).code, 1001);
      assert.equal(exit.code, 0);
    });

    test("past --ws-max-connections a worker answers 503", async () => {
      const capped = await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--ws-max-connections", "1"]);
      const first = await connect(capped);
      const second = await openWebSocket(capped.port, "/ws");
      assert.equal(second.status, 503);
      first.ws.close();
      await first.ws.closed;
      const third = await waitFor("an upgrade once the first closed", async () => {
        const ws = await openWebSocket(capped.port, "/ws");
        return ws.status === 101 && ws;
      });
      third.close();
      assert.equal((await capped.stop()).code, 0);
    });
  });
}
