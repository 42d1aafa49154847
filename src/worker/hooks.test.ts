import assert from "node:assert/strict";
import { test } from "node:test";
import type { LskyBus } from "../bus/app-api.ts";
import { isLskyError } from "../errors.ts";
import { createWorkerLifecycle, readWorkerHooks, runWorkerStop } from "./hooks.ts";

const bus = { workerId: 2 } as LskyBus;

test("hooks are read off the default export, bound to it; a hook that is not a function is refused", () => {
  const app = {
    name: "app",
    seen: "",
    onWorkerStart(this: { name: string; seen: string }) {
      this.seen = this.name;
    },
  };
  const hooks = readWorkerHooks(app);
  hooks.onWorkerStart!({ workerId: 1, kind: "http", bus, signal: new AbortController().signal });
  assert.equal(app.seen, "app");
  assert.equal(readWorkerHooks({ fetch() {} }).onWorkerStop, undefined);
  assert.throws(() => readWorkerHooks({ onWorkerStop: "soon" }), (error) => isLskyError(error) && error.code === "APP_HOOK_FAILED" && /onWorkerStop is string/.test(error.message));
});

test("a throwing onWorkerStart becomes APP_HOOK_FAILED with the app's error as its cause; then no stop hook runs", async () => {
  const thrown = new Error("no database");
  let stopped = false;
  const lifecycle = createWorkerLifecycle(2, bus, () => {});
  const app = { onWorkerStart: () => Promise.reject(thrown), onWorkerStop: () => void (stopped = true) };
  await assert.rejects(lifecycle.start(app), (error) => isLskyError(error) && error.cause === thrown && !error.message.includes("no database"));
  await lifecycle.stop(performance.now() + 1000);
  assert.equal(stopped, false);
});

test("the stop hook runs once, with the worker's id, kind and bus", async () => {
  const seen: string[] = [];
  const lifecycle = createWorkerLifecycle(2, bus, () => {});
  await lifecycle.start({ onWorkerStop: (ctx: { workerId: number; kind: string; bus: LskyBus }) => void seen.push(`${ctx.workerId} ${ctx.kind} ${ctx.bus === bus}`) });
  await lifecycle.stop(performance.now() + 1000);
  await lifecycle.stop(performance.now() + 1000);
  assert.deepEqual(seen, ["2 http true"]);
});

test("a stop hook past its time is abandoned with its signal aborted; a throwing one is logged", async () => {
  const lines: string[] = [];
  let signal: AbortSignal | undefined;
  const slow = { onWorkerStop: (ctx: { signal: AbortSignal }) => ((signal = ctx.signal), new Promise(() => {})) };
  assert.equal(await runWorkerStop(readWorkerHooks(slow), { workerId: 1, kind: "http", bus }, 20, (l) => lines.push(l)), "timeout");
  assert.equal(signal?.aborted, true);
  assert.match(lines[0]!, /still running when the grace period ended/);
  const failing = { onWorkerStop: () => { throw new TypeError("oops"); } };
  assert.equal(await runWorkerStop(readWorkerHooks(failing), { workerId: 1, kind: "http", bus }, 1000, (l) => lines.push(l)), "failed");
  assert.match(lines[1]!, /onWorkerStop of worker 1 threw TypeError: oops/);
});
