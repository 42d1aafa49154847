import assert from "node:assert/strict";
import { Agent, request as httpRequest } from "node:http";
import type { Socket } from "node:net";
import { test } from "node:test";
import type { LimitSettings } from "../config/limit-options.ts";
import { serveNodeHttp } from "./node-http.ts";
import type { HttpServer, LskyContext } from "./types.ts";

// Node closes a connection idle past keepAliveTimeout by itself: far beyond
// the tests, so that only the drain can have closed it.
const LIMITS: LimitSettings = {
  maxHeaderSize: 16 * 1024, maxHeaderCount: 100, maxUrlLength: 8192, maxBodySize: 1024,
  headerTimeout: 10_000, bodyTimeout: 0, minBodyRate: 0, bodyRateGrace: 0, keepAliveTimeout: 60_000, requestTimeout: 0, denoServer: "node",
};

// Without overrideGlobalObjects (the Deno setting) the adapter leaves this
// process's Request and Response alone; the tracking is the same either way.
function start(handler: () => Response | Promise<Response>): Promise<HttpServer> {
  return serveNodeHttp({
    hostname: "127.0.0.1",
    port: 0,
    handler,
    context: () => ({ remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 0 } }) as LskyContext,
    shouldClose: () => false,
    limits: LIMITS,
    denoServer: "node",
  }, { reusePort: false, overrideGlobalObjects: false });
}

/** One GET over a kept-alive connection: the body, and the socket it came on (still open). */
function get(port: number, agent: Agent): Promise<{ body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ body, socket: req.socket as Socket }));
    });
    req.on("error", reject);
    req.end();
  });
}

const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once("close", () => resolve())));

// A drain that closes only connections idle past the margin must learn when
// each response ended: were it never told, the close below would wait for
// the kept-alive connection forever (until the drain's grace period).
test("close with an idle margin ends a kept-alive connection once idle that long", { timeout: 10_000 }, async () => {
  const server = await start(() => new Response("hello"));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const { body, socket } = await get(server.port, agent);
    assert.equal(body, "hello");
    assert.equal(socket.destroyed, false);
    await server.close({ idleMargin: 50 });
    await closed(socket);
  } finally {
    agent.destroy();
    server.forceClose();
  }
});

test("close with an idle margin lets a request in flight finish, then ends its connection", { timeout: 10_000 }, async () => {
  let answer!: (response: Response) => void;
  const server = await start(() => new Promise<Response>((resolve) => (answer = resolve)));
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const pending = get(server.port, agent);
    while (!answer) await new Promise((resolve) => setTimeout(resolve, 5));
    const closing = server.close({ idleMargin: 50 });
    answer(new Response("late"));
    const { body, socket } = await pending;
    assert.equal(body, "late");
    await closing;
    await closed(socket);
  } finally {
    agent.destroy();
    server.forceClose();
  }
});
