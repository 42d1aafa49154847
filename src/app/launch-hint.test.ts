import assert from "node:assert/strict";
import { test } from "node:test";
import { type LaunchFacts, lskyCommandFor } from "./launch-hint.ts";

const base: LaunchFacts = { engine: "bun", compiled: true, execPath: "/home/me/lsky/dist/lsky", script: "", cwd: "/home/me/lsky", path: "/usr/bin:/bin" };

test("the binary as the user reaches it: relative below the directory, by name on the PATH, absolute elsewhere", () => {
  assert.equal(lskyCommandFor(base), "dist/lsky");
  assert.equal(lskyCommandFor({ ...base, execPath: "/home/me/lsky/lsky" }), "./lsky");
  assert.equal(lskyCommandFor({ ...base, execPath: "/usr/local/bin/lsky", path: "/usr/local/bin:/usr/bin" }), "lsky");
  assert.equal(lskyCommandFor({ ...base, cwd: "/srv/app" }), "/home/me/lsky/dist/lsky");
});

test("an installed package runs through the engine's package runner; a checkout through its script", () => {
  const installed = { ...base, compiled: false, script: "/srv/app/node_modules/lsky/dist/lsky.mjs", cwd: "/srv/app" };
  assert.equal(lskyCommandFor({ ...installed, engine: "node" }), "npx lsky");
  assert.equal(lskyCommandFor({ ...installed, engine: "bun" }), "bunx --bun lsky");
  assert.equal(lskyCommandFor({ ...installed, engine: "deno" }), "deno run -A npm:lsky");
  const checkout = { ...base, compiled: false, script: "/home/me/lsky/dist/lsky.mjs" };
  assert.equal(lskyCommandFor({ ...checkout, engine: "node" }), "node dist/lsky.mjs");
  assert.equal(lskyCommandFor({ ...checkout, engine: "deno" }), "deno run -A dist/lsky.mjs");
});
