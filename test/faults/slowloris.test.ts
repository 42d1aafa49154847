import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { after, test } from "node:test";
import { killAll, startLsky } from "../harness/lsky.ts";
import { fixture } from "../harness/targets.ts";
import { open } from "./_raw-client.ts";
import { report } from "./_report.ts";
import { SKIP_SLOW } from "../harness/slow.ts";
import { describeTargets } from "../harness/describe-targets.ts";

after(killAll);

const CONNECTIONS = 200;
const HEADER_TIMEOUT_MS = 2000;
const TRICKLE_MS = 300;
// Bun's header timer is its own (about 10 s) and cannot be set; it closes
// without answering. Every other engine keeps the promise.
const BUN_BOUND_MS = 15_000;
// Deno.serve (Deno's default server) has no header timer at all: the slow
// clients are still open when the test gives up on them (--deno-server node
// keeps the promise).

interface SlowResult {
  closedAfterMs?: number;
  answer: string;
}

/** One slowloris client: sends a header line every TRICKLE_MS until closed or the bound. */
function trickle(socket: Socket, boundMs: number): Promise<SlowResult> {
  const started = Date.now();
  let answer = "";
  return new Promise((resolve) => {
    socket.write("GET / HTTP/1.1\r\nHost: localhost\r\n");
    let n = 0;
    const timer = setInterval(() => socket.writable && socket.write(`X-Slow-${n++}: ${"v".repeat(10)}\r\n`), TRICKLE_MS);
    const done = (closed: boolean) => {
      clearInterval(timer);
      clearTimeout(bound);
      socket.destroy();
      resolve({ closedAfterMs: closed ? Date.now() - started : undefined, answer: /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? "none" });
    };
    const bound = setTimeout(() => done(false), boundMs);
    socket.on("data", (chunk: Buffer) => void (answer += chunk.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => done(true));
  });
}

describeTargets("slowloris", { skip: SKIP_SLOW, binaryStandsForBun: true }, (target) => {
  test(`${CONNECTIONS} trickling connections are closed by the header deadline while others are served`, async () => {
    const server = await startLsky(target, [fixture("faults.ts"), "--workers", "2", "--host", "127.0.0.1", "--header-timeout", `${HEADER_TIMEOUT_MS}ms`]);
    const isBun = target.engine === "bun";
    const isDenoServe = target.engine === "deno";
    const bound = isBun ? BUN_BOUND_MS : HEADER_TIMEOUT_MS + 5000;
    const sockets = await Promise.all(Array.from({ length: CONNECTIONS }, () => open(server.port)));
    const slow = Promise.all(sockets.map((s) => trickle(s, bound)));
    let served = 0;
    let failed = 0;
    let finished = false;
    void slow.then(() => (finished = true));
    // Normal requests go on the whole time (bounded by the slow clients' bound).
    for (let i = 0; i < 500 && !finished; i++) {
      const response = await fetch(`${server.url}/normal-${i}`).catch(() => undefined);
      if (response && (await response.text()) === `hit /normal-${i} 0`) served++;
      else failed++;
    }
    const results = await slow;
    await server.stop();
    const closed = results.filter((r) => r.closedAfterMs !== undefined);
    const slowest = Math.max(...closed.map((r) => r.closedAfterMs!));
    const answers = [...new Set(results.map((r) => r.answer))].join("/");
    const got = `${closed.length}/${CONNECTIONS} closed, slowest after ${slowest} ms, answer ${answers}; ${served} normal requests served, ${failed} failed`;
    const promise = closed.length === CONNECTIONS && slowest <= HEADER_TIMEOUT_MS + 1000 && answers === "408";
    report({ suite: "slowloris", target: target.name, name: `${CONNECTIONS} slow clients, ${HEADER_TIMEOUT_MS} ms header timeout`, expected: `all closed with 408 within ${HEADER_TIMEOUT_MS + 1000} ms, normal requests served`, got, verdict: promise ? "ok" : "gap" });
    assert.equal(failed, 0, got);
    assert.ok(served > 0, got);
    if (isDenoServe) {
      assert.equal(closed.length, 0, got);
      return;
    }
    assert.equal(closed.length, CONNECTIONS, got);
    if (isBun) {
      assert.equal(answers, "none", got);
    } else {
      assert.equal(answers, "408", got);
      assert.ok(slowest <= HEADER_TIMEOUT_MS + 1000, got);
    }
  });
});
