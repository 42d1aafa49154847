// The "bus" suite: round trips and messages per second between the two
// workers of lsky (bus-app.ts), through the supervisor, per engine. The
// servers start once and stay up; each engine is one turn per round.
import { join } from "node:path";
import { lskyCandidate } from "./candidates.ts";
import { type Engine, ROOT } from "./paths.ts";
import { contextBlock, failureLines, int, type RunContext, table } from "./report.ts";
import { type Figures, type RoundsResult, runRounds, series } from "./rounds.ts";
import { defined, median } from "./stats.ts";
import { waitUntil } from "./probe.ts";
import { checkAlive, type Served, serve, START_TIMEOUT_MS } from "./suite.ts";

const BUS_APP = join(ROOT, "scripts", "bench", "bus-app.ts");

/** What each measurement asks the app for, and which figures of its answer are kept. */
export const KINDS = [
  { kind: "rtt", n: 2000, label: "request/reply worker->worker", figures: ["medianMs", "p99Ms"] },
  { kind: "ping", n: 2000, label: "request/reply worker->supervisor", figures: ["medianMs", "p99Ms"] },
  { kind: "concurrent", n: 10000, label: "requests/s worker->worker, 32 in flight", figures: ["perSecond"] },
  { kind: "burst", n: 20000, label: "one-way messages/s worker->worker", figures: ["perSecond"] },
] as const;

export interface BusSettings {
  rounds: number;
  engines: Engine[];
  /** Divides every message count (a quick run's smoke test). */
  scaleDown: number;
}

export interface BusResult extends RoundsResult {
  settings: BusSettings;
}

export const busTurnId = (engine: Engine) => `lsky-${engine}-2`;

async function ask(served: Served, kind: string, n: number): Promise<Record<string, number>> {
  const response = await fetch(served.url(`/?kind=${kind}&n=${n}`));
  const body = await response.json() as Record<string, number>;
  if (response.status !== 200) throw new Error(`${kind} failed: ${JSON.stringify(body)}`);
  return body;
}

async function measure(served: Served, scaleDown: number): Promise<Figures> {
  const figures: Figures = {};
  for (const { kind, n, figures: kept } of KINDS) {
    const body = await ask(served, kind, Math.max(1, Math.round(n / scaleDown)));
    for (const figure of kept) figures[`${kind}.${figure}`] = body[figure]!;
  }
  checkAlive(served);
  return figures;
}

export async function runBusSuite(settings: BusSettings): Promise<BusResult> {
  const servers = new Map<Engine, Served>();
  try {
    for (const engine of settings.engines) servers.set(engine, await serve(lskyCandidate(engine, 2, undefined, BUS_APP)));
    for (const served of servers.values()) {
      // A worker lists the other once both said hello to the supervisor: until then the app answers 503.
      await waitUntil("both workers on the bus", () => ask(served, "ping", 1).then(() => true, () => undefined), START_TIMEOUT_MS, 50);
      // Warm-up: both workers answer at least once, the JITs get going.
      for (const { kind } of KINDS) await ask(served, kind, 200);
    }
    const turns = [...servers].map(([engine, served]) => ({ id: busTurnId(engine), measure: () => measure(served, settings.scaleDown) }));
    return { settings, ...(await runRounds("bus", turns, { rounds: settings.rounds, rotate: true })) };
  } finally {
    for (const served of servers.values()) await served.running.stop();
  }
}

const figureShown = (figure: string) => (figure === "perSecond" ? "rate" : figure.replace("Ms", ""));

function cell(figure: string, value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return figure.endsWith("Ms") ? `${(value * 1000).toFixed(0)} µs` : `${int(value)}/s`;
}

export function busSection(context: RunContext, result: BusResult): string {
  const { engines, rounds, scaleDown } = result.settings;
  const rows = KINDS.flatMap(({ kind, label, figures }) => figures.map((figure) => [
    label, figureShown(figure),
    ...engines.map((e) => cell(figure, median(defined(series(result, busTurnId(e), `${kind}.${figure}`))))),
  ]));
  const counts = KINDS.map(({ kind, n }) => `${kind} ${Math.max(1, Math.round(n / scaleDown))}`).join(", ");
  return [
    "### Message bus between two workers",
    "",
    contextBlock(context),
    `- Servers: \`lsky serve scripts/bench/bus-app.ts --workers 2\` per engine, kept running over the rounds; engines interleaved, each round starting one engine later; ${rounds} round(s)`,
    `- Messages per measurement: ${counts}; each cell is the median over rounds`,
    "",
    table(["measurement", "figure", ...engines], rows),
    "",
    ...failureLines(result.failures),
  ].join("\n").trimEnd();
}
