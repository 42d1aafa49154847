import assert from "node:assert/strict";
import { test } from "node:test";
import type { LimitSettings } from "../config/limit-options.ts";
import type { FetchHandler, LskyContext } from "../runtime/types.ts";
import { createLimitsStage } from "./limits-stage.ts";

const CONTEXT = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } } as LskyContext;
const LIMITS: LimitSettings = {
  maxHeaderSize: 16 * 1024, maxHeaderCount: 100, maxUrlLength: 8192, maxBodySize: 10,
  headerTimeout: 10_000, bodyTimeout: 0, minBodyRate: 0, bodyRateGrace: 0, keepAliveTimeout: 5000, requestTimeout: 0, denoServer: "node",
};

// The app as the worker wraps it: errors become 500s.
const readsBody: FetchHandler = async (request) => {
  try {
    return new Response(`read ${(await request.text()).length}`);
  } catch {
    return new Response("failed", { status: 500 });
  }
};

function streamOf(parts: string[], pauseMs = 0): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
      if (i < parts.length) controller.enqueue(new TextEncoder().encode(parts[i++]));
      else controller.close();
    },
  });
}

function post(body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Request {
  return new Request("http://h/upload", { method: "POST", body, headers: { host: "h", "transfer-encoding": "chunked", ...headers }, duplex: "half" } as RequestInit);
}

test("a request without a body passes through untouched and synchronously", () => {
  const response = new Response("ok");
  const handler = createLimitsStage(LIMITS)(() => response);
  assert.equal(handler(new Request("http://h/", { headers: { host: "h" } }), CONTEXT), response);
});

test("a refused request gets the status and Connection: close", async () => {
  const handler = createLimitsStage(LIMITS)(() => new Response("app"));
  const response = await handler(new Request("http://h/", { headers: {} }), CONTEXT);
  assert.equal(response.status, 400);
  assert.equal(response.headers.get("connection"), "close");
});

test("a streamed body under the limit reaches the app whole", async () => {
  const response = await createLimitsStage(LIMITS)(readsBody)(post(streamOf(["12345", "67890"])), CONTEXT);
  assert.equal(await response.text(), "read 10");
});

test("a streamed body crossing the limit is answered 413 whatever the app made of it", async () => {
  const response = await createLimitsStage(LIMITS)(readsBody)(post(streamOf(["123456", "789012"])), CONTEXT);
  assert.equal(response.status, 413);
  assert.equal(response.headers.get("connection"), "close");
});

test("a body that pauses longer than the body timeout is answered 408", async () => {
  const handler = createLimitsStage({ ...LIMITS, bodyTimeout: 20 })(readsBody);
  const response = await handler(post(streamOf(["1", "2"], 200)), CONTEXT);
  assert.equal(response.status, 408);
});

test("a handler over the request timeout gets 504 and its signal aborts", async () => {
  let signal: AbortSignal | undefined;
  const slow: FetchHandler = (request) => {
    signal = request.signal;
    return new Promise((resolve) => request.signal.addEventListener("abort", () => resolve(new Response("late"))));
  };
  const response = await createLimitsStage({ ...LIMITS, requestTimeout: 20 })(slow)(new Request("http://h/", { headers: { host: "h" } }), CONTEXT);
  assert.equal(response.status, 504);
  assert.equal(signal?.aborted, true);
});

test("a request copied for its guarded body keeps a URL set in place by the proxy stage", async () => {
  const { withUrl } = await import("../http/request-url.ts");
  let seen = "";
  const stage = createLimitsStage(LIMITS);
  const handler = stage((request) => {
    seen = request.url;
    return new Response("ok");
  });
  const request = withUrl(new Request("http://127.0.0.1:8000/p", { method: "POST", body: "x", headers: { host: "127.0.0.1:8000", "content-length": "1" } }), "https://shop.example/p");
  await handler(request, CONTEXT);
  assert.equal(seen, "https://shop.example/p");
});
