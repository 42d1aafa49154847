// The memory suite's section of docs/BENCHMARKS.md: per engine, the raw
// server's RSS beside an lsky worker's (target: at most 10 MB above), and the
// supervisors beside node:cluster's primary and PM2's daemon.
import type { Candidate } from "./candidates.ts";
import type { MemoryResult } from "./memory-suite.ts";
import { RAW_PEER, SUPERVISED, WARM_CONNECTIONS } from "./memory-suite.ts";
import { contextBlock, failureLines, type RunContext, table } from "./report.ts";
import { series } from "./rounds.ts";
import { defined, median } from "./stats.ts";

export const WORKER_TARGET_MB = 10;

/** The median over rounds of one figure, in MB; NaN when never measured. */
function mb(result: MemoryResult, id: string, figure: string): number {
  return median(defined(series(result, id, figure))) / 1024;
}

const cell = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");
const signed = (n: number) => (Number.isFinite(n) ? `${n >= 0 ? "+" : ""}${n.toFixed(1)}` : "n/a");

/** The raw peer's id for each row of the worker table ("binary": the compiled hello). */
function rows(result: MemoryResult): Array<{ engine: string; raw: string; lsky: string }> {
  const ids = new Set(result.candidates.map((c) => c.id));
  const all = [
    ...result.settings.engines.map((e) => ({ engine: e, raw: RAW_PEER[e].id, lsky: `lsky-${e}` })),
    { engine: "binary (Bun inside)", raw: "bun-compiled", lsky: "lsky-binary" },
  ];
  return all.filter((r) => ids.has(r.raw) && ids.has(`${r.lsky}-1`));
}

/** Raw server RSS, lsky worker RSS and PSS with 1 and 2 workers, the difference, the supervisor. */
export function workerTable(result: MemoryResult): string {
  const body = rows(result).map(({ engine, raw, lsky }) => {
    const rawRss = mb(result, raw, "main.rss");
    const one = mb(result, `${lsky}-1`, "worker.rss");
    const verdict = Number.isFinite(one - rawRss) ? (one - rawRss <= WORKER_TARGET_MB ? "met" : "missed") : "n/a";
    return [
      engine, cell(rawRss), cell(one), `${signed(one - rawRss)} (${verdict})`,
      cell(mb(result, `${lsky}-2`, "worker.rss")), cell(mb(result, `${lsky}-2`, "worker.pss")),
      cell(mb(result, `${lsky}-1`, "main.rss")), cell(mb(result, `${lsky}-2`, "main.rss")),
    ];
  });
  const head = ["engine", "raw server RSS", "lsky worker RSS (1 worker)", `difference (target <= +${WORKER_TARGET_MB})`,
    "worker RSS (2 workers, mean)", "worker PSS (2 workers, mean)", "supervisor RSS (1 worker)", "supervisor RSS (2 workers)"];
  return table(head, body);
}

/** Where the difference is: anonymous pages (heaps, malloc, thread stacks) and file-backed pages (the executable's code). */
export function splitTable(result: MemoryResult): string {
  const body = rows(result).map(({ engine, raw, lsky }) => {
    const anon = [mb(result, raw, "main.anon"), mb(result, `${lsky}-1`, "worker.anon")] as const;
    const file = [mb(result, raw, "main.file"), mb(result, `${lsky}-1`, "worker.file")] as const;
    return [engine, cell(anon[0]), cell(anon[1]), signed(anon[1] - anon[0]), cell(file[0]), cell(file[1]), signed(file[1] - file[0])];
  });
  return table(["engine", "raw anon", "worker anon", "anon difference", "raw file-backed", "worker file-backed", "file-backed difference"], body);
}

/** Every candidate: its main process (supervisor, primary, daemon or lone server) and its workers. */
export function processTable(result: MemoryResult): string {
  const body = result.candidates.map((c: Candidate) => {
    const rounds = defined(series(result, c.id, "main.rss")).length;
    return [c.engine, c.label, cell(mb(result, c.id, "main.rss")), cell(mb(result, c.id, "main.pss")),
      String(SUPERVISED.test(c.id) ? c.instances : 0), cell(mb(result, c.id, "worker.rss")), cell(mb(result, c.id, "worker.pss")), String(rounds)];
  });
  const head = ["engine", "candidate", "main process RSS", "main PSS", "workers", "worker RSS (mean)", "worker PSS (mean)", "rounds"];
  return table(head, body);
}

export function memorySection(context: RunContext, result: MemoryResult): string {
  const { rounds, warmRequests } = result.settings;
  return [
    "### Memory of an idle server",
    "",
    contextBlock(context),
    `- Method: each candidate started alone, ${warmRequests} GET / over ${WARM_CONNECTIONS} keep-alive connections, then idle (no CPU tick for 1 s); VmRSS from /proc/PID/status and Pss from /proc/PID/smaps_rollup of the main process and of each of its child processes; ${rounds} round(s), candidates interleaved, medians. MB = 1024 kB.`,
    "",
    "An lsky worker beside the raw server serving the same app (MB):",
    "",
    workerTable(result),
    "",
    "Where the difference lies, 1 worker (RssAnon and RssFile from /proc/PID/status, MB):",
    "",
    splitTable(result),
    "",
    "Every candidate (MB). The main process is lsky's supervisor, node:cluster's primary, PM2's daemon (God daemon, with the app running), or the raw server itself:",
    "",
    processTable(result),
    "",
    ...failureLines(result.failures),
    "Commands (PORT is a free port the harness picks each round):",
    "",
    result.candidates.map((c) => `- ${c.id}: \`${c.command}\``).join("\n"),
  ].join("\n");
}
