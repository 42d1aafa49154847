import { type Candidate, DENO_NATIVE, lskyCandidate, scriptPeer } from "./candidates.ts";
import type { Pair } from "./pairs.ts";

// The "costs" suite: each read lsky makes per request on an engine whose
// server does not keep a promise itself, priced alone, and lsky as a whole,
// each paired with the raw engine server on one core (pairs.ts).

const bunProbe = (probe: string): Candidate =>
  scriptPeer(`bun-probe-${probe}`, `Bun.serve PROBE=${probe}`, "bun", "bun-probe.ts", 1, { PROBE: probe });

const denoProbe = (probe: string): Candidate =>
  scriptPeer(`deno-probe-${probe}`, `Deno.serve PROBE=${probe}`, "deno", "deno-probe.ts", 1, { PROBE: probe });

function bunPairs(): Pair[] {
  const baseline = bunProbe("none");
  const pair = (label: string, measured: Candidate): Pair => ({ label, engine: "bun", measured, baseline });
  return [
    pair("nothing: the raw server paired with itself (the method's own spread)", bunProbe("none")),
    pair("reads request.headers", bunProbe("request-headers")),
    pair("refuses an empty or repeated Host", bunProbe("host")),
    pair("every request check lsky makes on Bun (field count, Host, framing headers)", bunProbe("request-checks")),
    pair("reads the response's Content-Type (event-stream timer)", bunProbe("response-type")),
    pair("all of the above (bun-serve-checked.ts)", scriptPeer("bun-serve-checked", "checked", "bun", "bun-serve-checked.ts")),
    pair("lsky --workers 1", lskyCandidate("bun", 1)),
  ];
}

function denoPairs(): Pair[] {
  const baseline = denoProbe("none");
  const pair = (label: string, measured: Candidate): Pair => ({ label, engine: "deno", measured, baseline });
  return [
    pair("nothing: the raw server paired with itself (the method's own spread)", denoProbe("none")),
    pair("refuses a missing, empty or repeated Host", denoProbe("host")),
    pair("walks the headers (field count and section size)", denoProbe("header-walk")),
    pair("all of the above (deno-serve-checked.ts)", scriptPeer("deno-serve-checked", "checked", "deno", "deno-serve-checked.ts")),
    pair("lsky --workers 1 --deno-server native", lskyCandidate("deno", 1, DENO_NATIVE)),
    pair("lsky --workers 1 (Deno's node:http, the default)", lskyCandidate("deno", 1)),
  ];
}

function nodePairs(): Pair[] {
  const baseline = scriptPeer("node-hono", "node:http + @hono/node-server", "node", "node-hono.mjs");
  return [{ label: "lsky --workers 1 (against node:http + @hono/node-server)", engine: "node", measured: lskyCandidate("node", 1), baseline }];
}

export function costPairs(): Pair[] {
  return [...bunPairs(), ...denoPairs(), ...nodePairs()];
}
