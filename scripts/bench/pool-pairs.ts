import { DENO_NATIVE, DENO_NODE, denoParallel, lskyCandidate, pm2Cluster, scriptPeer } from "./candidates.ts";
import type { Pair } from "./pairs.ts";

// The "pool" suite: lsky with two workers paired with each engine's own way
// of running two (pairs.ts), both pools on one core at once, each loaded by
// its own wrk on the other. Whatever else the shared machine does then slows
// both alike, so the ratio holds still from run to run where the interleaved
// "parallel" suite's figures do not; it is the ratio of what each pool spends
// per request (accepting, balancing, the worker's own path), not of how two
// workers scale over two cores. Besides req/s it reports the ratio of server
// CPU time per request.
//
// Two more pairs split the gap to the engine's own mode: on Bun the same two
// processes doing the checks lsky must add for promises Bun does not keep
// (the single-worker target is set against that server), and on Deno two
// Deno.serve processes sharing the port, the shape of lsky's pool, where
// `deno serve --parallel` runs its copies as threads of one process.

export function poolPairs(): Pair[] {
  const bunPeer = scriptPeer("bun-reuseport-2", "2 x Bun.serve reusePort", "bun", "bun-serve.ts", 2, { REUSE_PORT: "1" });
  const bunChecked = scriptPeer("bun-checked-reuseport-2", "2 x Bun.serve reusePort + lsky's Bun checks", "bun", "bun-serve-checked.ts", 2, { REUSE_PORT: "1" });
  const denoProcesses = scriptPeer("deno-reuseport-2", "2 x Deno.serve reusePort (processes)", "deno", "deno-serve.ts", 2, { REUSE_PORT: "1" });
  const nodeCluster = scriptPeer("node-cluster-2", "node:cluster, 2 workers", "node", "node-cluster.mjs", 1, { WORKERS: "2" }, 2);
  return [
    { label: "lsky --workers 2", engine: "bun", measured: lskyCandidate("bun", 2), baseline: bunPeer },
    { label: "lsky --workers 2 (against the checked peer)", engine: "bun", measured: lskyCandidate("bun", 2), baseline: bunChecked },
    { label: "lsky --workers 2 --deno-server node", engine: "deno", measured: lskyCandidate("deno", 2, DENO_NODE), baseline: denoParallel(2) },
    { label: "lsky --workers 2 --deno-server native", engine: "deno", measured: lskyCandidate("deno", 2, DENO_NATIVE), baseline: denoParallel(2) },
    { label: "lsky --workers 2 --deno-server native (against processes)", engine: "deno", measured: lskyCandidate("deno", 2, DENO_NATIVE), baseline: denoProcesses },
    { label: "lsky --workers 2", engine: "node", measured: lskyCandidate("node", 2), baseline: nodeCluster },
    { label: "lsky --workers 2 (against PM2)", engine: "node", measured: lskyCandidate("node", 2), baseline: pm2Cluster(2) },
  ];
}
