import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, startLsky } from "../harness/lsky.ts";
import { fixture } from "../harness/targets.ts";
import { waitFor } from "../harness/wait.ts";
import { open, parseResponses } from "./_raw-client.ts";
import { report } from "./_report.ts";
import { describeTargets } from "../harness/describe-targets.ts";

after(killAll);

const REQUEST = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

/** A kept-alive raw connection: send a request, read its whole response. */
async function keptConnection(port: number) {
  const socket = await open(port);
  let data = Buffer.alloc(0);
  let closed = false;
  socket.on("data", (chunk: Buffer) => void (data = Buffer.concat([data, chunk])));
  socket.on("error", () => {});
  socket.on("close", () => void (closed = true));
  const ask = async (): Promise<string> => {
    data = Buffer.alloc(0);
    socket.write(REQUEST);
    await waitFor("a response", () => closed || parseResponses(data).statuses.length === 1 || undefined, 10_000);
    return data.toString("latin1");
  };
  return { socket, ask, isClosed: () => closed };
}

describeTargets("drain", { binaryStandsForBun: true }, (target) => {
  test("during a reload, responses carry Connection: close and idle keep-alive connections are closed", async () => {
    // A long keep-alive timeout and drain delay: only the drain can close these connections.
    // It closes an idle one once idle for half the grace period (5 s here), not at once.
    const server = await startLsky(target, [fixture("faults.ts"), "--workers", "1", "--host", "127.0.0.1",
      "--keep-alive-timeout", "60s", "--drain-delay", "2s", "--grace-period", "10s"]);
    const busy = await keptConnection(server.port);
    const idle = await keptConnection(server.port);
    assert.match(await busy.ask(), /^HTTP\/1\.1 200/);
    assert.match(await idle.ask(), /^HTTP\/1\.1 200/);
    server.signal("SIGHUP");
    // The busy connection keeps asking until the old worker, now draining, answers with close.
    let last = "";
    await waitFor("a response with Connection: close", async () => {
      if (busy.isClosed()) throw new Error("closed before any response said Connection: close");
      last = await busy.ask();
      return /\r\nconnection: close\r\n/i.test(last) || undefined;
    }, 20_000);
    assert.match(last, /^HTTP\/1\.1 200/);
    await waitFor("the busy connection to close after its last response", () => busy.isClosed() || undefined, 10_000);
    await waitFor("the idle keep-alive connection to be closed by the drain", () => idle.isClosed() || undefined, 20_000);
    const response = await fetch(`${server.url}/after-reload`);
    assert.equal(await response.text(), "hit /after-reload 0");
    await server.stop();
    report({ suite: "drain", target: target.name, name: "reload with kept-alive connections", expected: "Connection: close, idle closed", got: "Connection: close, idle closed", verdict: "ok" });
  });
});
