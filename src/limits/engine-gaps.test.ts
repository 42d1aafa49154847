import assert from "node:assert/strict";
import { test } from "node:test";
import { engineGapWarning } from "./engine-gaps.ts";

const DEFAULTS = { headerTimeout: 10_000, denoServer: "node" as const };

test("node keeps every promise: no warning", () => {
  assert.equal(engineGapWarning("node", DEFAULTS), undefined);
});

test("bun: its own header timer and the reset while a worker stops", () => {
  const line = engineGapWarning("bun", DEFAULTS)!;
  assert.match(line, /fixed ~10 s timer/);
  assert.match(line, /header timeout \(10000 ms\) cannot be applied/);
  assert.match(line, /a worker stopping on bun may reset a connection/);
});

test("deno's default server: only the reset while a worker stops", () => {
  const line = engineGapWarning("deno", DEFAULTS)!;
  assert.match(line, /^a worker stopping on deno may reset a connection it accepted as its listener closed/);
  assert.doesNotMatch(line, /header timeout/);
});

test("Deno.serve (native, TLS or a Unix socket): the header timeout, Connection: close and the reset", () => {
  for (const settings of [{ ...DEFAULTS, denoServer: "native" as const }, { ...DEFAULTS, tlsCert: "c.pem" }, { ...DEFAULTS, listen: "/tmp/s" }]) {
    const line = engineGapWarning("deno", settings)!;
    assert.match(line, /no header timeout/);
    assert.match(line, /Connection: close does not stop Deno reading/);
    assert.match(line, /WebSockets accept unmasked client frames/);
    assert.match(line, /a worker stopping on deno may reset/);
  }
});
