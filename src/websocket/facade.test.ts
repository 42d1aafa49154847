import assert from "node:assert/strict";
import { test } from "node:test";
import { Hono } from "hono";
import { sockets, upgradeWebSocket } from "./facade.ts";

const events = { onMessage() {} };

test("a request that does not ask for a WebSocket goes on to the next handler", async () => {
  const app = new Hono();
  app.get("/ws", upgradeWebSocket(() => events), (c) => c.text("plain"));
  const response = await app.request("/ws", {}, { upgrade: () => assert.fail("must not upgrade") });
  assert.equal(await response.text(), "plain");
});

test("an upgrade request reaches lsky's ctx.upgrade (c.env) with the events, after the app's middleware", async () => {
  const app = new Hono();
  const calls: unknown[] = [];
  app.use("/ws", async (c, next) => {
    calls.push("middleware");
    await next();
  });
  app.get("/ws", upgradeWebSocket((c) => (calls.push(c.req.query("room")), events)));
  const upgrade = (request: Request, given: unknown) => {
    calls.push(given === events && request.url);
    return new Response(null, { status: 200, headers: { "x-upgraded": "1" } });
  };
  const response = await app.request("/ws?room=r", { headers: { upgrade: "WebSocket" } }, { upgrade });
  assert.equal(response.headers.get("x-upgraded"), "1");
  assert.deepEqual(calls, ["middleware", "r", "http://localhost/ws?room=r"]);
});

test("outside lsky the middleware and sockets say so", async () => {
  const app = new Hono();
  let caught: unknown;
  app.onError((error, c) => ((caught = error), c.text("failed", 500)));
  app.get("/ws", upgradeWebSocket(() => events));
  await app.request("/ws", { headers: { upgrade: "websocket" } });
  assert.match(String(caught), /needs the app to run under lsky/);
  assert.throws(() => sockets.publish("t", "x"), /only available inside an lsky worker/);
});
