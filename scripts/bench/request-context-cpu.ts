// The CPU time requestContext() adds to one request, measured in process
// (wrk on a shared 2-core host cannot resolve a 2% difference): the request
// store's wrap around a trivial handler, against the bare handler,
// interleaved, median of 7 rounds of 200,000 calls. Run on each engine:
//   node --import tsx scripts/bench/request-context-cpu.ts
//   node_modules/.bin/bun scripts/bench/request-context-cpu.ts
//   node_modules/.bin/deno run -A scripts/bench/request-context-cpu.ts
import { createRequestStore } from "../../src/worker/request-store.ts";
import type { FetchHandler, LskyContext } from "../../src/runtime/types.ts";

const CALLS = 200_000;
const response = new Response("ok");
const request = new Request("http://127.0.0.1/");
const context = { remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 1 } } as unknown as LskyContext;
const bare: FetchHandler = () => response;
const store = createRequestStore(1);
const wrapped = store.wrap(bare);
// What an app that reads it pays on top: the lookup, the id and the store.
const reading = store.wrap(() => {
  const current = store.current()!;
  current.store.set("user", current.id);
  return response;
});

function nsPerCall(handler: FetchHandler): number {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) handler(request, context);
  return ((performance.now() - start) * 1e6) / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rounds = { bare: [] as number[], wrapped: [] as number[], reading: [] as number[] };
for (let round = 0; round < 8; round++) {
  const order = round % 2 === 0 ? (["bare", "wrapped", "reading"] as const) : (["reading", "wrapped", "bare"] as const);
  for (const name of order) {
    const ns = nsPerCall({ bare, wrapped, reading }[name]);
    if (round > 0) rounds[name].push(ns); // the first round warms up the JIT
  }
}
const engine = "Bun" in globalThis ? "bun" : "Deno" in globalThis ? "deno" : "node";
const [b, w, r] = [median(rounds.bare), median(rounds.wrapped), median(rounds.reading)];
console.log(`${engine}: bare ${b.toFixed(0)} ns, wrapped +${(w - b).toFixed(0)} ns, wrapped and read (id, store) +${(r - b).toFixed(0)} ns per request`);
