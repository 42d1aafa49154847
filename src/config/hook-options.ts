import { parseBoolean, parseInteger } from "./parse-value.ts";
import { settingFor } from "./setting-spec.ts";

/** The app's lifecycle aids (docs/HOOKS.md): the current request anywhere, and the heap watch. */
export interface HookSettings {
  /** Make requestContext() available (an AsyncLocalStorage run around every request). */
  requestContext: boolean;
  /** Sample the worker's heap after GC and warn while it keeps growing. */
  leakCheck: boolean;
  /** Requests between two heap samples. */
  leakCheckEvery: number;
  /** Requests a worker serves before its first heap sample (caches fill, code warms up). */
  leakCheckWarmup: number;
}

// Off by default, by measurement (docs/HOOKS.md): the AsyncLocalStorage run
// around a request costs ~60 ns on Bun and ~110 ns on Node, but 2.6-4.5 µs
// on Deno 2.9 (its node:async_hooks), well over 2% of a small request there.
const REQUEST_CONTEXT_DEFAULT = false;

const setting = settingFor<HookSettings>();

export const HOOK_SETTINGS = [
  setting({
    key: "requestContext", group: "development", flag: "request-context", env: ["LSKY_REQUEST_CONTEXT"], boolean: true,
    description: "Make requestContext() from \"lsky\" return the current request's id, client and store anywhere in its call tree",
    parse: parseBoolean,
    defaultValue: () => REQUEST_CONTEXT_DEFAULT,
  }),
  setting({
    key: "leakCheck", group: "observability", flag: "leak-check", env: ["LSKY_LEAK_CHECK"], boolean: true,
    description: "Sample each worker's heap after GC every --leak-check-every requests; warn with the growth in bytes/request",
    parse: parseBoolean,
    defaultValue: () => false,
  }),
  setting({
    key: "leakCheckEvery", group: "observability", flag: "leak-check-every", env: ["LSKY_LEAK_CHECK_EVERY"], valueName: "N",
    description: "Requests between two heap samples of --leak-check (each sample runs a full GC)",
    parse: (t) => parseInteger(t, 10, 100_000_000),
    defaultValue: () => 1000,
  }),
  setting({
    key: "leakCheckWarmup", group: "observability", flag: "leak-check-warmup", env: ["LSKY_LEAK_CHECK_WARMUP"], valueName: "N",
    description: "Requests a worker serves before --leak-check takes its first sample",
    parse: (t) => parseInteger(t, 0, 100_000_000),
    defaultValue: () => 2000,
  }),
] as const;
