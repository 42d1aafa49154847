import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { isLskyError } from "../errors.ts";
import type { CurrentRequest } from "./current-request.ts";
import { installRequestContextGlobal, requestContext } from "./request-context-facade.ts";

const target = globalThis as { lsky?: Record<string, unknown> };
const saved = target.lsky;
afterEach(() => void (target.lsky = saved));

test("outside lsky (no worker set anything up) it is undefined", () => {
  target.lsky = undefined;
  assert.equal(requestContext(), undefined);
});

test("it reads the worker's store, and leaves the bus and sockets on globalThis.lsky alone", () => {
  const current = { id: "x" } as CurrentRequest;
  target.lsky = { bus: "the bus" };
  installRequestContextGlobal(() => current);
  assert.equal(requestContext(), current);
  assert.equal(target.lsky.bus, "the bus");
});

test("in a worker started without --request-context it throws REQUEST_CONTEXT_OFF with a hint", () => {
  target.lsky = {};
  installRequestContextGlobal(false);
  assert.throws(() => requestContext(), (error) => isLskyError(error) && error.code === "REQUEST_CONTEXT_OFF" && /--request-context/.test(error.hint ?? ""));
});
