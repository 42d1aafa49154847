import { type Candidate, DENO_NATIVE, DENO_NODE, lskyCandidate, scriptPeer } from "./candidates.ts";
import type { Pair } from "./pairs.ts";

// The "costs" suite: each read lsky makes per request on an engine whose
// server does not keep a promise itself, priced alone, and lsky as a whole,
// each paired with the raw engine server on one core (pairs.ts). The first
// pair of each engine is the raw server with itself: the method's own spread.

const SELF = "nothing: the raw server paired with itself (the method's own spread)";

const bunProbe = (probe: string): Candidate =>
  scriptPeer(`bun-probe-${probe}`, `Bun.serve PROBE=${probe}`, "bun", "bun-probe.ts", 1, { PROBE: probe });

const denoProbe = (probe: string): Candidate =>
  scriptPeer(`deno-probe-${probe}`, `Deno.serve PROBE=${probe}`, "deno", "deno-probe.ts", 1, { PROBE: probe });

function against(engine: string, baseline: Candidate, measured: [label: string, candidate: Candidate][]): Pair[] {
  return measured.map(([label, candidate]) => ({ label, engine, measured: candidate, baseline }));
}

export function costPairs(): Pair[] {
  return [
    ...against("bun", bunProbe("none"), [
      [SELF, bunProbe("none")],
      ["reads request.headers", bunProbe("request-headers")],
      ["refuses an empty or repeated Host", bunProbe("host")],
      ["every request check lsky makes on Bun (field count, Host, framing headers)", bunProbe("request-checks")],
      ["reads the response's Content-Type (event-stream timer)", bunProbe("response-type")],
      ["all of the above (bun-serve-checked.ts)", scriptPeer("bun-serve-checked", "checked", "bun", "bun-serve-checked.ts")],
      ["lsky --workers 1", lskyCandidate("bun", 1)],
    ]),
    ...against("deno", denoProbe("none"), [
      [SELF, denoProbe("none")],
      ["refuses a missing, empty or repeated Host", denoProbe("host")],
      ["walks the headers (field count and section size)", denoProbe("header-walk")],
      ["all of the above (deno-serve-checked.ts)", scriptPeer("deno-serve-checked", "checked", "deno", "deno-serve-checked.ts")],
      ["lsky --workers 1 (Deno.serve, the default)", lskyCandidate("deno", 1, DENO_NATIVE)],
      ["lsky --workers 1 --deno-server node (Deno's node:http)", lskyCandidate("deno", 1, DENO_NODE)],
    ]),
    ...against("node", scriptPeer("node-hono", "node:http + @hono/node-server", "node", "node-hono.mjs"), [
      ["lsky --workers 1 (against node:http + @hono/node-server)", lskyCandidate("node", 1)],
    ]),
  ];
}
