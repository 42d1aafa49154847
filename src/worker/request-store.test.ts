import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyContext } from "../runtime/types.ts";
import { createRequestStore } from "./request-store.ts";

const context = (hostname: string) => ({ remoteAddr: { transport: "tcp", hostname, port: 1 } }) as unknown as LskyContext;
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

test("each request sees its own entry across awaits; none outside a request", async () => {
  const store = createRequestStore(3);
  // A helper with no access to the request, as app code deep in a call tree.
  const whoIsAsking = async () => {
    await tick();
    const current = store.current()!;
    return `${current.remoteAddr.hostname} ${current.store.get("user")} ${current.workerId}`;
  };
  const handler = store.wrap(async (request) => {
    store.current()!.store.set("user", new URL(request.url).pathname.slice(1));
    await tick();
    return new Response(await whoIsAsking());
  });
  const [a, b] = await Promise.all([
    handler(new Request("http://x/alice"), context("10.0.0.1")) as Promise<Response>,
    handler(new Request("http://x/bob"), context("10.0.0.2")) as Promise<Response>,
  ]);
  assert.equal(await a.text(), "10.0.0.1 alice 3");
  assert.equal(await b.text(), "10.0.0.2 bob 3");
  assert.equal(store.current(), undefined);
});

test("the id is a UUID, stable within a request and different between requests", async () => {
  const store = createRequestStore(1);
  const ids: string[] = [];
  const handler = store.wrap(() => {
    const first = store.current()!.id;
    assert.equal(store.current()!.id, first);
    ids.push(first);
    return new Response("");
  });
  handler(new Request("http://x/"), context("a"));
  handler(new Request("http://x/"), context("a"));
  assert.match(ids[0]!, /^[0-9a-f-]{36}$/);
  assert.notEqual(ids[0], ids[1]);
});
