// An esbuild plugin for dist/lsky.mjs. An ESM bundle loads every module it
// imports before its first line runs, even one imported only by code that a
// given process never reaches: every Bun and Deno worker of `dist/lsky.mjs`
// loaded node:http and node:http2 (for the Node adapter's @hono/node-server),
// node:cluster and node:dgram, about 3.5 MB of a Bun worker's RSS (measured:
// docs/BENCHMARKS.md, "Memory of an idle server"), and node:zlib, which a
// worker loads only with --compress or --static (about 1 MB of a Bun
// worker). Not node:stream or node:child_process: a Node worker took them
// through require() 4 MB larger, measured. Here these are imported
// through a CommonJS stand-in instead, `module.exports = require(name)`, which
// the bundle evaluates when the first module that imports it is, so a process
// loads them only if it runs code that uses them. Uses then read a property
// of the module object, as they would of a namespace import.
const LAZY = /^node:(http|http2|cluster|dgram|zlib)$/;
const NAMESPACE = "lsky-lazy-builtin";

export const lazyBuiltins = {
  name: "lazy-builtins",
  setup(build) {
    // The stand-in's own require() must reach the real module.
    build.onResolve({ filter: LAZY }, (args) => (args.namespace === NAMESPACE ? undefined : { path: args.path, namespace: NAMESPACE }));
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};
