import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APP, ENGINE_RUN, type Engine, LSKY_BUNDLE, SERVERS, shown } from "./paths.ts";
import { PM2_START_SHOWN, pm2DaemonPgid, pm2Delete, pm2Start } from "./pm2.ts";
import { type Started, startProcess, stopProcess } from "./processes.ts";

/** A candidate started for one round. */
export interface Running {
  /** The output of a process that has exited, or undefined while all run. */
  died(): string | undefined;
  /** Process groups holding all of its processes, for CPU accounting. */
  pgids(): number[];
  stop(): Promise<void>;
}

export interface Candidate {
  id: string;
  /** Shown in tables. */
  label: string;
  /** The engine (or server, e.g. nginx) it runs on, as shown in tables. */
  engine: string;
  /** Distinct app instances that answer once it is fully up. */
  instances: number;
  /** The command, as shown in the docs (PORT is the port the harness picks). */
  command: string;
  start(port: number, cpus?: string): Promise<Running>;
}

const HOST = "127.0.0.1";

function engineCommand(engine: Engine, script: string, extra: string[] = []): [string, string[]] {
  const run = ENGINE_RUN[engine];
  return [run.command, [...run.args, script, ...extra]];
}

function shownCommand(command: string, args: string[], env = ""): string {
  const name = command === process.execPath ? "node" : command.split("/").pop()!;
  return `${env}${name} ${args.map(shown).join(" ")}`.replace(/\s+/g, " ").trim();
}

/** Runs the given processes as one candidate; stopping stops them all. */
export function group(procs: Started[]): Running {
  return {
    died: () => procs.find((p) => p.done())?.output() ?? undefined,
    // Each process was started detached: it leads its own group, and its
    // children (workers) inherit it.
    pgids: () => procs.map((p) => p.pid),
    stop: async () => void await Promise.all(procs.map((p) => stopProcess(p))),
  };
}

/** Flags added to lsky's command line under their own id and label. */
export interface Variant {
  id: string;
  flags: string[];
}

/**
 * `lsky serve APP --workers N` from dist/lsky.mjs on an engine (APP: the
 * shared bench app unless given); `variant` adds flags (e.g. Deno's
 * `--deno-server native`) under its own id and label.
 */
export function lskyCandidate(engine: Engine, workers: number, variant?: Variant, app = APP): Candidate {
  const args = (port: number | string) => [
    "serve", app, "--workers", String(workers), "--host", HOST, "--port", String(port), ...(variant?.flags ?? []),
  ];
  const [command, argv] = engineCommand(engine, LSKY_BUNDLE, args("PORT"));
  return {
    id: `lsky-${engine}${variant ? `-${variant.id}` : ""}-${workers}`,
    label: `lsky --workers ${workers}${variant ? ` ${variant.flags.join(" ")}` : ""}`,
    engine,
    instances: workers,
    command: shownCommand(command, argv),
    start: async (port, cpus) => {
      const [cmd, real] = engineCommand(engine, LSKY_BUNDLE, args(port));
      // lsky refuses a second server in one directory (its control socket
      // lives there): each gets its own, so suites can run several at once.
      const cwd = mkdtempSync(join(tmpdir(), "lsky-bench-"));
      const running = group([startProcess(cmd, real, { cpus, cwd })]);
      return { ...running, stop: () => running.stop().finally(() => rmSync(cwd, { recursive: true, force: true })) };
    },
  };
}

/** A peer server script run `copies` times side by side (PORT, HOST from env). */
export function scriptPeer(id: string, label: string, engine: Engine, file: string, copies = 1, env: Record<string, string> = {}, instances = copies): Candidate {
  const script = join(SERVERS, file);
  const [command, argv] = engineCommand(engine, script);
  const envText = Object.entries({ PORT: "PORT", ...env }).map(([k, v]) => `${k}=${v} `).join("");
  return {
    id,
    label,
    engine,
    instances,
    command: `${copies > 1 ? `${copies} x ` : ""}${shownCommand(command, argv, envText)}`,
    start: async (port, cpus) => group([startProcess(command, argv, { cpus, copies, env: { ...env, PORT: String(port), HOST } })]),
  };
}

export function denoParallel(workers: number): Candidate {
  const run = ENGINE_RUN.deno;
  const args = (port: number | string) => ["serve", "-A", "--quiet", "--parallel", "--host", HOST, "--port", String(port), APP];
  return {
    id: `deno-parallel-${workers}`,
    label: "deno serve --parallel",
    engine: "deno",
    instances: workers,
    command: shownCommand(run.command, args("PORT"), `DENO_JOBS=${workers} `),
    start: async (port, cpus) => group([startProcess(run.command, args(port), { cpus, env: { DENO_JOBS: String(workers) } })]),
  };
}

export function pm2Cluster(workers: number): Candidate {
  return {
    id: `pm2-cluster-${workers}`,
    label: `PM2 cluster -i ${workers}`,
    engine: "node",
    instances: workers,
    command: PM2_START_SHOWN,
    start: async (port, cpus) => {
      const name = `lsky-bench-${port}`;
      pm2Start(name, join(SERVERS, "node-hono.mjs"), workers, { PORT: String(port), HOST }, cpus);
      // PM2's cluster workers are forked by its daemon and share its group;
      // the daemon (the cluster primary, which accepts) counts too.
      return { died: () => undefined, pgids: () => pm2DaemonPgid(), stop: () => pm2Delete(name) };
    },
  };
}

// Deno.serve (lsky's default on Deno) named explicitly.
export const DENO_NATIVE: Variant = { id: "native", flags: ["--deno-server", "native"] };
// Deno's node:http named explicitly, so a pairing does not depend on the default.
export const DENO_NODE: Variant = { id: "node-http", flags: ["--deno-server", "node"] };

/** The "single" suite: one worker beside the raw engine server. */
export function singleCandidates(): Candidate[] {
  return [
    lskyCandidate("bun", 1),
    scriptPeer("bun-serve", "raw Bun.serve", "bun", "bun-serve.ts"),
    scriptPeer("bun-serve-checked", "raw Bun.serve + lsky's Bun checks", "bun", "bun-serve-checked.ts"),
    lskyCandidate("deno", 1),
    lskyCandidate("deno", 1, DENO_NODE),
    scriptPeer("deno-serve", "raw Deno.serve", "deno", "deno-serve.ts"),
    scriptPeer("deno-serve-checked", "raw Deno.serve + lsky's Deno.serve checks", "deno", "deno-serve-checked.ts"),
    lskyCandidate("node", 1),
    scriptPeer("node-hono", "node:http + @hono/node-server", "node", "node-hono.mjs"),
    scriptPeer("node-srvx", "srvx (node)", "node", "node-srvx.mjs"),
  ];
}

/** The "parallel" suite: two workers beside each engine's own way of running two. */
export function parallelCandidates(): Candidate[] {
  return [
    lskyCandidate("bun", 2),
    scriptPeer("bun-reuseport-2", "2 x Bun.serve reusePort", "bun", "bun-serve.ts", 2, { REUSE_PORT: "1" }),
    lskyCandidate("deno", 2),
    lskyCandidate("deno", 2, DENO_NODE),
    denoParallel(2),
    lskyCandidate("node", 2),
    scriptPeer("node-cluster-2", "node:cluster, 2 workers", "node", "node-cluster.mjs", 1, { WORKERS: "2" }, 2),
    pm2Cluster(2),
  ];
}

/** Which candidate each lsky candidate is compared with (ratio = lsky / peer). */
export const COMPARISONS: Record<string, string[]> = {
  "lsky-bun-1": ["bun-serve", "bun-serve-checked"],
  "lsky-deno-1": ["deno-serve", "deno-serve-checked"],
  "lsky-deno-node-http-1": ["deno-serve"],
  "lsky-node-1": ["node-hono", "node-srvx"],
  "lsky-bun-2": ["bun-reuseport-2"],
  "lsky-deno-2": ["deno-parallel-2"],
  "lsky-deno-node-http-2": ["deno-parallel-2"],
  "lsky-node-2": ["node-cluster-2", "pm2-cluster-2"],
};
