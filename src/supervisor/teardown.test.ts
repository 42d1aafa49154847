import assert from "node:assert/strict";
import { test } from "node:test";
import { Teardown } from "./teardown.ts";

test("a teardown undoes newest first, each step once", async () => {
  const done: string[] = [];
  const teardown = new Teardown();
  for (const name of ["bus", "pool", "control"]) teardown.add(name, (forced) => void done.push(`${name}${forced ? "!" : ""}`));
  await teardown.run();
  await teardown.run();
  teardown.force();
  assert.deepEqual(done, ["control", "pool", "bus"]);
});

test("a forced teardown during a graceful one forces the step under way and the rest, and each runs once", async () => {
  const done: string[] = [];
  let drained!: () => void;
  const teardown = new Teardown();
  teardown.add("bus", (forced) => void done.push(`bus${forced ? "!" : ""}`));
  teardown.add("pool", (forced) => {
    done.push(`pool${forced ? "!" : ""}`);
    if (!forced) return new Promise<void>((resolve) => (drained = resolve));
  });
  teardown.add("control", () => void done.push("control"));
  const graceful = teardown.run();
  await new Promise((resolve) => setImmediate(resolve));
  teardown.force();
  drained();
  await graceful;
  assert.deepEqual(done, ["control", "pool", "pool!", "bus!"]);
});
