// The "static" suite: lsky's static files beside nginx serving the same
// folder, what --compress costs and saves, and what a --static folder costs
// the app's own requests. The servers start once and stay up; every case is
// one turn, interleaved and rotated over the rounds.
import { rmSync } from "node:fs";
import { type Candidate, lskyCandidate } from "./candidates.ts";
import type { Engine } from "./paths.ts";
import { contextBlock, failureLines, int, ratio, type RunContext, table, wrkShown } from "./report.ts";
import { type RoundsResult, runRounds, series } from "./rounds.ts";
import { defined, median, medianRatio } from "./stats.ts";
import { bodyBytes, createSite, FILES, nginxCandidate, type Site } from "./static-site.ts";
import { checkAlive, type Served, serve } from "./suite.ts";
import { type LoadSettings, runWrk } from "./wrk.ts";

export interface StaticSettings {
  rounds: number;
  /** Seconds of unmeasured load on each server's first case, once before the rounds. */
  warmup: number;
  load: LoadSettings;
  /** lsky's engines for the file table; the first also runs the compression and stage cases. */
  engines: Engine[];
}

interface Case {
  table: "files" | "compression" | "stage";
  row: string;
  server: string;
  path: string;
  headers?: Record<string, string>;
}

export interface StaticResult extends RoundsResult {
  settings: StaticSettings;
  cases: Case[];
  /** Body size and encoding of each compression case's response. */
  sizes: Map<string, { bytes: number; encoding: string }>;
}

export const caseId = (c: Case) => `${c.server} ${c.path}${c.headers ? ` ${c.headers["accept-encoding"]}` : ""}`;

const lskyStatic = (engine: Engine, site: Site, id: string, flags: string[]): Candidate =>
  lskyCandidate(engine, 1, { id, flags }, site.app);

function candidatesFor(site: Site, engines: Engine[]): Candidate[] {
  const first = engines[0]!;
  return [
    nginxCandidate(site, false),
    ...engines.map((e) => lskyStatic(e, site, "static", ["--static", site.public])),
    nginxCandidate(site, true),
    lskyStatic(first, site, "compress", ["--static", site.public, "--compress"]),
    lskyStatic(first, site, "no-static", ["--static", "off"]),
  ];
}

function casesFor(engines: Engine[]): Case[] {
  const lsky = (e: Engine, id: string) => `lsky-${e}-${id}-1`;
  const first = engines[0]!;
  const gzip = { "accept-encoding": "gzip" };
  const br = { "accept-encoding": "br" };
  return [
    ...Object.entries(FILES).flatMap(([row, path]): Case[] => [
      { table: "files", row, server: "nginx", path },
      ...engines.map((e): Case => ({ table: "files", row, server: lsky(e, "static"), path })),
    ]),
    { table: "compression", row: "app page, no compression", server: lsky(first, "static"), path: "/page", headers: { "accept-encoding": "gzip, br" } },
    { table: "compression", row: "app page, --compress gzip", server: lsky(first, "compress"), path: "/page", headers: gzip },
    { table: "compression", row: "app page, --compress br", server: lsky(first, "compress"), path: "/page", headers: br },
    { table: "compression", row: "medium.js, nginx gzip on", server: "nginx-gzip", path: "/medium.js", headers: gzip },
    { table: "compression", row: "medium.js, lsky --compress gzip", server: lsky(first, "compress"), path: "/medium.js", headers: gzip },
    { table: "compression", row: "medium.js, lsky --compress br", server: lsky(first, "compress"), path: "/medium.js", headers: br },
    { table: "stage", row: "app page (static on: the path remembered as a miss)", server: lsky(first, "static"), path: "/page" },
    { table: "stage", row: "app page (--static off)", server: lsky(first, "no-static"), path: "/page" },
  ];
}

export async function runStaticSuite(settings: StaticSettings): Promise<StaticResult> {
  const site = createSite();
  const servers = new Map<string, Served>();
  try {
    for (const candidate of candidatesFor(site, settings.engines)) servers.set(candidate.id, await serve(candidate));
    const cases = casesFor(settings.engines);
    await warmUp(cases, servers, settings);
    const sizes = new Map<string, { bytes: number; encoding: string }>();
    for (const c of cases.filter((c) => c.table === "compression")) {
      sizes.set(caseId(c), await bodyBytes(servers.get(c.server)!.url(c.path), c.headers ?? {}));
    }
    const turns = cases.map((c) => ({
      id: caseId(c),
      measure: async () => {
        const served = servers.get(c.server)!;
        const result = await runWrk(settings.load, served.url(c.path), c.headers);
        checkAlive(served);
        if (result.errors > 0) throw new Error(`wrk saw ${result.errors} errors`);
        return { rps: result.rps };
      },
      describe: (f: Record<string, number>) => `${Math.round(f.rps!)} req/s`,
    }));
    return { settings, cases, sizes, ...(await runRounds("static", turns, { rounds: settings.rounds, rotate: true })) };
  } finally {
    for (const served of servers.values()) await served.running.stop();
    rmSync(site.dir, { recursive: true, force: true });
  }
}

async function warmUp(cases: Case[], servers: Map<string, Served>, settings: StaticSettings): Promise<void> {
  if (settings.warmup <= 0) return;
  for (const [id, served] of servers) {
    const first = cases.find((c) => c.server === id);
    if (first) await runWrk({ ...settings.load, duration: settings.warmup }, served.url(first.path), first.headers);
  }
}

/** The req/s of a case, one per round. */
export const rpsOf = (result: StaticResult, c: Case) => series(result, caseId(c), "rps");

function filesTable(result: StaticResult): string {
  const servers = ["nginx", ...result.settings.engines.map((e) => `lsky-${e}-static-1`)];
  const shownName = (id: string) => id.replace(/-static-1$/, "");
  const rows = Object.keys(FILES).map((row) => {
    const at = (server: string) => rpsOf(result, result.cases.find((c) => c.row === row && c.server === server)!);
    const ratios = servers.slice(1).map((s) => ratio(medianRatio(at(s), at("nginx"))));
    return [row, ...servers.map((s) => int(median(defined(at(s))))), ...ratios];
  });
  const head = ["file", ...servers.map((s) => `${shownName(s)} req/s`), ...servers.slice(1).map((s) => `${shownName(s)} / nginx`)];
  return table(head, rows);
}

function compressionTable(result: StaticResult): string {
  const rows = result.cases.filter((c) => c.table === "compression").map((c) => {
    const size = result.sizes.get(caseId(c));
    return [c.row, size?.encoding ?? "n/a", String(size?.bytes ?? "n/a"), int(median(defined(rpsOf(result, c))))];
  });
  return table(["case", "Content-Encoding", "body bytes", "req/s"], rows);
}

function stageTable(result: StaticResult): string {
  const [on, off] = result.cases.filter((c) => c.table === "stage") as [Case, Case];
  const rows = [on, off].map((c) => [c.row, int(median(defined(rpsOf(result, c))))]);
  rows.push(["ratio on / off", ratio(medianRatio(rpsOf(result, on), rpsOf(result, off)))]);
  return table(["case", "req/s"], rows);
}

export function staticSection(context: RunContext, result: StaticResult): string {
  const { settings } = result;
  const engine = settings.engines[0];
  return [
    "### Static files beside nginx, compression, the static stage",
    "",
    contextBlock(context),
    `- Load: \`${wrkShown(settings.load)}\` per case, keep-alive; ${settings.warmup > 0 ? `each server warmed up once for ${settings.warmup} s` : "no warm-up"}; ${settings.rounds} round(s), cases interleaved, each round starting one case later`,
    "- Servers: one worker process each, kept running over the rounds: lsky `--workers 1 --static DIR` per engine, nginx `worker_processes 1`, sendfile on, access log off",
    "",
    "Static throughput, medians over rounds (ratios: median of per-round ratios):",
    "",
    filesTable(result),
    "",
    `Compression (lsky on ${engine} with \`--compress\`; nginx \`gzip on\`, level 1, for reference):`,
    "",
    compressionTable(result),
    "",
    `What a \`--static\` folder costs requests for the app (lsky on ${engine}):`,
    "",
    stageTable(result),
    "",
    ...failureLines(result.failures),
  ].join("\n").trimEnd();
}
