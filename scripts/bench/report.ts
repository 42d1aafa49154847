import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { COMPARISONS } from "./candidates.ts";
import type { MachineInfo } from "./machine.ts";
import type { PairResult, PairSettings } from "./pairs.ts";
import { series } from "./rounds.ts";
import { defined, median, medianRatio } from "./stats.ts";
import { type Field, figureName, ROUTES, type SuiteResult, type SuiteSettings } from "./suite.ts";
import type { LoadSettings } from "./wrk.ts";

export interface RunContext {
  command: string;
  machine: MachineInfo;
  /** Said above the tables (quick run, contention). */
  notes: string[];
}

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "n/a");
export const ratio = (n: number) => (Number.isFinite(n) ? n.toFixed(3) : "n/a");
const us = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "n/a");

export function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(head), line(head.map(() => "---")), ...rows.map(line)].join("\n");
}

function pick(result: SuiteResult, id: string, route: string, field: Field): (number | undefined)[] {
  return series(result, id, figureName(route, field));
}

/** Medians per candidate: req/s and p99 for each route, and the errors wrk saw. */
export function figuresTable(result: SuiteResult): string {
  const rows = result.candidates.map((c) => {
    const med = (route: string, field: Field) => median(defined(pick(result, c.id, route, field)));
    const cells = ROUTES.flatMap((r) => [int(med(r.name, "rps")), ms(med(r.name, "p99")), us(med(r.name, "cpuUs"))]);
    const errors = ROUTES.flatMap((r) => defined(pick(result, c.id, r.name, "errors"))).reduce((sum, n) => sum + n, 0);
    const rounds = Math.min(...ROUTES.map((r) => defined(pick(result, c.id, r.name, "rps")).length));
    return [c.engine, c.label, ...cells, String(errors), String(rounds)];
  });
  const head = ["engine", "candidate", ...ROUTES.flatMap((r) => [`${r.name} req/s`, `${r.name} p99 ms`, `${r.name} CPU µs/req`]), "errors", "rounds"];
  return table(head, rows);
}

/** lsky against each of its peers: req/s ratio (target >= 0.95) and p99 ratio (lower is better). */
export function ratioTable(result: SuiteResult): string {
  const ids = new Set(result.candidates.map((c) => c.id));
  const label = (id: string) => result.candidates.find((c) => c.id === id)!.label;
  const rows: string[][] = [];
  for (const c of result.candidates) {
    for (const peer of COMPARISONS[c.id] ?? []) {
      if (!ids.has(peer)) continue;
      const of = (route: string, field: Field) => ratio(medianRatio(pick(result, c.id, route, field), pick(result, peer, route, field)));
      const cells = ROUTES.flatMap((r) => [of(r.name, "rps"), of(r.name, "p99"), of(r.name, "cpuUs")]);
      rows.push([c.engine, `${c.label} / ${label(peer)}`, ...cells]);
    }
  }
  const head = ["engine", "lsky / peer", ...ROUTES.flatMap((r) => [`${r.name} req/s`, `${r.name} p99`, `${r.name} CPU/req`])];
  return table(head, rows);
}

function candidateCommands(result: SuiteResult): string {
  return result.candidates.map((c) => `- ${c.id}: \`${c.command}\``).join("\n");
}

/** The header every results section carries: when, where, how, and the notes. */
export function contextBlock(context: RunContext): string {
  const m = context.machine;
  const versions = Object.entries(m.versions).map(([k, v]) => `${k} ${v}`).join(", ");
  return [
    ...context.notes.map((n) => `> **${n}**`),
    ...(context.notes.length ? [""] : []),
    `- Date: ${m.date}`,
    `- Command: \`${context.command}\``,
    `- Machine: ${m.cpus} CPUs, ${m.cpuModel}, Linux ${m.kernel}, load average at start ${m.loadAverage}`,
    `- Versions: ${versions}`,
  ].join("\n");
}

/** The wrk command line of a measured run, as the docs show it. */
export const wrkShown = (load: LoadSettings) => `wrk -t${load.threads} -c${load.connections} -d${load.duration}s --latency`;

/** "Failures:" and one line each, or nothing. */
export function failureLines(failures: string[]): string[] {
  return failures.length ? ["Failures:", "", ...failures.map((f) => `- ${f}`), ""] : [];
}

function loadLines(settings: SuiteSettings): string {
  const load = settings.load;
  const pinned = settings.serverCpus
    ? `server pinned to CPU ${settings.serverCpus}, wrk to CPU ${load.cpus} (taskset)`
    : "none (servers and wrk share all CPUs)";
  return [
    `- Load: \`${wrkShown(load)}\` per route, after ${settings.warmup} s of warm-up on /; ${settings.rounds} round(s), candidates interleaved`,
    `- Pinning: ${pinned}`,
  ].join("\n");
}

export function suiteSection(title: string, context: RunContext, settings: SuiteSettings, result: SuiteResult): string {
  return [
    `### ${title}`,
    "",
    contextBlock(context),
    loadLines(settings),
    "",
    "Medians over rounds:",
    "",
    figuresTable(result),
    "",
    "Ratios lsky / peer (median of per-round ratios). req/s: higher is better for lsky, target >= 0.95. p99 and CPU/req: lower is better for lsky; CPU/req is the steadiest of the three on a busy machine:",
    "",
    ratioTable(result),
    "",
    ...failureLines(result.failures),
    "Commands (PORT is a free port the harness picks each round):",
    "",
    candidateCommands(result),
  ].join("\n");
}

function headerNote(results: PairResult[]): string {
  const headers = results[0]?.pair.headers;
  return headers ? ` with the request headers ${Object.entries(headers).map(([k, v]) => `\`${k}: ${v}\``).join(", ")}` : "";
}

/** Each paired cost: the measured side's req/s over its baseline's, and the CPU it adds per request. */
export function costsTable(results: PairResult[]): string {
  const rows = results.map(({ pair, ratios }) => {
    const mid = median(ratios);
    const range = ratios.length ? `${ratio(Math.min(...ratios))} to ${ratio(Math.max(...ratios))}` : "n/a";
    const extra = Number.isFinite(mid) ? `${((1 / mid - 1) * 100).toFixed(1)} %` : "n/a";
    return [pair.engine, pair.label, pair.baseline.label, ratio(mid), range, extra, String(ratios.length)];
  });
  return table(["engine", "measured", "baseline", "req/s ratio (median)", "range", "CPU added per request", "rounds"], rows);
}

export function costsSection(context: RunContext, settings: PairSettings, results: PairResult[], title = "What each promise costs (paired runs)"): string {
  const load = settings.load;
  const failures = results.flatMap((r) => r.failures);
  const commands = new Map(results.flatMap(({ pair }) => [pair.measured, pair.baseline]).map((c) => [c.id, c.command]));
  return [
    `### ${title}`,
    "",
    contextBlock(context),
    `- Load: both servers of a pair on CPU ${settings.serverCpus} at once, each loaded by its own \`wrk -t${load.threads} -c${load.connections} -d${load.duration}s\` on CPU ${load.cpus} at once, on /${headerNote(results)}, after ${settings.warmup} s of warm-up; ${settings.rounds} round(s), pairs interleaved, the side started first alternating`,
    "",
    costsTable(results),
    "",
    ...failureLines(failures),
    ...commandLines(commands),
  ].join("\n");
}

/**
 * Replaces one results section of a page (between its markers
 * `<!-- bench:KEY:start -->` and `<!-- bench:KEY:end -->`), leaving the prose
 * and the other sections as they are; appends the section when the markers
 * are missing.
 */
export function writeDocSection(file: string, key: string, body: string): void {
  const start = `<!-- bench:${key}:start -->`;
  const end = `<!-- bench:${key}:end -->`;
  const text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const block = `${start}\n${body}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next = from !== -1 && to > from
    ? text.slice(0, from) + block + text.slice(to + end.length)
    : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

function spread(values: number[]): string {
  return values.length ? `${ratio(Math.min(...values))} to ${ratio(Math.max(...values))}` : "n/a";
}

/** Each pool pair: lsky's req/s and CPU per request over its peer's, median and range. */
export function poolTable(results: PairResult[]): string {
  const rows = results.map(({ pair, ratios, cpuRatios }) => [
    pair.engine, pair.label, pair.baseline.label,
    ratio(median(ratios)), spread(ratios), ratio(median(cpuRatios)), spread(cpuRatios), String(ratios.length),
  ]);
  const head = ["engine", "lsky", "peer", "req/s ratio (median)", "range", "CPU/req ratio (median)", "range", "rounds"];
  return table(head, rows);
}

export function poolSection(context: RunContext, settings: PairSettings, results: PairResult[]): string {
  const load = settings.load;
  const failures = results.flatMap((r) => r.failures);
  const commands = new Map(results.flatMap(({ pair }) => [pair.measured, pair.baseline]).map((c) => [c.id, c.command]));
  return [
    "### Two workers beside each engine's own multi-process mode (paired runs)",
    "",
    contextBlock(context),
    `- Load: lsky's pool and its peer's running at once, every process of both on CPU ${settings.serverCpus}, each pool loaded by its own \`wrk -t${load.threads} -c${load.connections} -d${load.duration}s\` on CPU ${load.cpus}, on /, after ${settings.warmup} s of warm-up; ${settings.rounds} round(s), pairs interleaved, the side started first alternating`,
    "",
    "req/s ratio: lsky / peer, higher is better for lsky. CPU/req ratio: the server CPU time each spends per request, lsky / peer, lower is better for lsky:",
    "",
    poolTable(results),
    "",
    ...failureLines(failures),
    ...commandLines(commands),
  ].join("\n");
}

/** The closing lines of a paired section: each candidate's command. */
function commandLines(commands: Map<string, string>): string[] {
  return ["Commands (PORT is a free port the harness picks each round):", "", [...commands].map(([id, command]) => `- ${id}: \`${command}\``).join("\n")];
}
