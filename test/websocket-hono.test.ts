import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture, ROOT } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { openWebSocket, type RawWebSocket } from "./harness/ws-client.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

/**
 * An app folder as a user has it: hono and lsky in its node_modules (lsky
 * linked to this checkout, so the app gets a copy of the package that is not
 * the running server's own code).
 */
function appFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-ws-hono-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "lsky"));
  symlinkSync(join(ROOT, "node_modules", "hono"), join(dir, "node_modules", "hono"));
  copyFileSync(fixture("ws-hono.ts"), join(dir, "app.ts"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "chat", type: "module", dependencies: { hono: "*", lsky: "*" } }));
  return dir;
}

async function join2(server: LskyProcess, name: string): Promise<{ ws: RawWebSocket; worker: number }> {
  const ws = await openWebSocket(server.port, `/chat?token=secret&name=${name}`);
  assert.equal(ws.status, 101, ws.body);
  const hello = JSON.parse(await ws.nextText()) as { id: string };
  return { ws, worker: Number(hello.id.split("-")[0]) };
}

function post(port: number, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ port, host: "127.0.0.1", path, method: "POST", agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (s: string) => (text += s)).on("end", () => resolve(text));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describeTargets('Hono upgradeWebSocket and sockets from "lsky"', (target) => {
  const dir = appFolder();
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the app's middleware runs first; chat reaches both workers; sockets.publish from a route", async () => {
    const server = await startLsky(target, ["app.ts", "--workers", "2", "--host", "127.0.0.1"], { cwd: dir });
    const refused = await openWebSocket(server.port, "/chat?name=x");
    assert.equal(refused.status, 401);
    assert.equal(refused.body, "no token\n");
    const byWorker = new Map<number, RawWebSocket>();
    await waitFor("chat clients on workers 1 and 2", async () => {
      const client = await join2(server, `u${byWorker.size}`);
      if (byWorker.has(client.worker)) client.ws.close();
      else byWorker.set(client.worker, client.ws);
      return byWorker.size === 2;
    }, 30_000);
    const [one, two] = [byWorker.get(1)!, byWorker.get(2)!];
    one.sendText("hello");
    assert.match(await two.nextText(), /^u\d: hello$/);
    assert.equal(JSON.parse(await post(server.port, "/announce", "news")).subscribers, 2);
    assert.equal(await one.nextText(), "server: news");
    assert.equal(await two.nextText(), "server: news");
    assert.equal((await server.stop()).code, 0);
  });
});

describeTargets("examples/chat", (target) => {
  test("a message from one member reaches the others across workers, and count sees them all", async () => {
    const dir = appFolder();
    copyFileSync(join(ROOT, "examples", "chat", "app.ts"), join(dir, "app.ts"));
    try {
      const server = await startLsky(target, ["app.ts", "--workers", "2", "--host", "127.0.0.1"], { cwd: dir });
      const online = (count: number) => waitFor(`${count} members counted`, async () => {
        const answer = await new Promise<string>((resolve, reject) => {
          request({ port: server.port, host: "127.0.0.1", path: "/online", agent: false }, (res) => {
            let text = "";
            res.setEncoding("utf8").on("data", (s: string) => (text += s)).on("end", () => resolve(text));
          }).on("error", reject).end();
        });
        return JSON.parse(answer).online === count && answer;
      });
      const alice = await openWebSocket(server.port, "/ws?name=alice");
      // Counted in the room: her onOpen ran (she is subscribed) before bob joins.
      // (Not by a message of hers: its publish crosses the bus and could
      // reach bob's worker after he subscribed there.)
      await online(1);
      const bob = await openWebSocket(server.port, "/ws?name=bob");
      assert.equal(await alice.nextText(), "bob joined");
      bob.sendText("hi all");
      assert.equal(await bob.nextText(), "you: hi all");
      assert.equal(await alice.nextText(), "bob: hi all");
      assert.equal(JSON.parse(await online(2)).online, 2);
      bob.close();
      assert.equal(await alice.nextText(), "bob left");
      assert.equal((await server.stop()).code, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
