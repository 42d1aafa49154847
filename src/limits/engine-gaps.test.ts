import assert from "node:assert/strict";
import { test } from "node:test";
import { engineGapWarning } from "./engine-gaps.ts";

const DEFAULTS = { headerTimeout: 10_000, denoServer: "native" as const };
const DENO_NODE_HTTP = { ...DEFAULTS, denoServer: "node" as const };

test("node keeps every promise: no warning", () => {
  assert.equal(engineGapWarning("node", DEFAULTS), undefined);
});

test("bun: its own header timer and the reset while a worker stops", () => {
  const line = engineGapWarning("bun", DEFAULTS)!;
  assert.match(line, /fixed ~10 s timer/);
  assert.match(line, /header timeout \(10000 ms\) cannot be applied/);
  assert.match(line, /a worker stopping on bun may reset a connection/);
});

test("deno on node:http (--deno-server node): only the reset while a worker stops", () => {
  const line = engineGapWarning("deno", DENO_NODE_HTTP)!;
  assert.match(line, /^a worker stopping on deno may reset a connection it accepted as its listener closed/);
  assert.doesNotMatch(line, /header timeout/);
});

test("Deno.serve (the default, TLS or a Unix socket): the header and keep-alive timeouts, Connection: close and the reset", () => {
  for (const settings of [DEFAULTS, { ...DENO_NODE_HTTP, tlsCert: "c.pem" }, { ...DENO_NODE_HTTP, listen: "/tmp/s" }]) {
    const line = engineGapWarning("deno", settings)!;
    assert.match(line, /no header timeout/);
    assert.match(line, /no keep-alive timeout/);
    assert.match(line, /lost 3, 5 and 7 of about 113,000 requests over 3 reloads/);
    assert.match(line, /over HTTP\/2 it drops the streams that arrived just before it, unanswered/);
    assert.match(line, /Connection: close does not stop Deno reading/);
    assert.match(line, /WebSockets accept unmasked client frames/);
    assert.match(line, /a worker stopping on deno may reset/);
  }
});

test("the default Deno server names the slower one that keeps every other limit", () => {
  assert.match(engineGapWarning("deno", DEFAULTS)!, /--deno-server node keeps every other limit at about a third of the speed$/);
});
