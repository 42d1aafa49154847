// Message bus benchmark: round-trip latency and messages per second between
// two workers through the supervisor, per engine, interleaved (node, bun,
// deno, node, bun, deno, ...) so that a burst of load elsewhere hits them all.
// Usage: node --import tsx scripts/bench/bus.ts [--rounds N] [--write]
// (--write puts the table in docs/BENCHMARKS-BUS.md). Run `npm run build` first.
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { killAll, type LskyProcess, startLsky } from "../../test/harness/lsky.ts";
import { ROOT, TARGETS } from "../../test/harness/targets.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, write: { type: "boolean", default: false } },
});
const ROUNDS = Number(values.rounds);
const APP = join(ROOT, "scripts", "bench", "bus-app.ts");
const ENGINES = ["node", "bun", "deno"] as const;

/** What each measurement asks the app for, and which figure of its answer is kept. */
const KINDS = [
  { kind: "rtt", n: 2000, label: "request/reply worker->worker", figures: ["medianMs", "p99Ms"] },
  { kind: "ping", n: 2000, label: "request/reply worker->supervisor", figures: ["medianMs", "p99Ms"] },
  { kind: "concurrent", n: 10000, label: "requests/s worker->worker, 32 in flight", figures: ["perSecond"] },
  { kind: "burst", n: 20000, label: "one-way messages/s worker->worker", figures: ["perSecond"] },
] as const;

type Results = Map<string, number[]>;

async function measure(server: LskyProcess, kind: string, n: number): Promise<Record<string, number>> {
  const response = await fetch(`${server.url}/?kind=${kind}&n=${n}`);
  const body = await response.json() as Record<string, number>;
  if (response.status !== 200) throw new Error(`${kind} failed: ${JSON.stringify(body)}`);
  return body;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function format(figure: string, value: number): string {
  return figure.endsWith("Ms") ? `${(value * 1000).toFixed(0)} µs` : `${Math.round(value).toLocaleString("en")}/s`;
}

async function main(): Promise<void> {
  const servers = new Map<string, LskyProcess>();
  for (const engine of ENGINES) {
    const target = TARGETS.find((t) => t.name === engine)!;
    servers.set(engine, await startLsky(target, [APP, "--workers", "2", "--host", "127.0.0.1"]));
  }
  const results: Results = new Map();
  const loads: number[] = [];
  try {
    for (const [engine, server] of servers) {
      // Warm-up: both workers answer at least once, JITs get going.
      for (const { kind } of KINDS) await measure(server, kind, 200);
      process.stderr.write(`warmed up ${engine}\n`);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [engine, server] of servers) {
        for (const { kind, n, figures } of KINDS) {
          const body = await measure(server, kind, n);
          for (const figure of figures) {
            const key = `${engine} ${kind} ${figure}`;
            results.set(key, [...(results.get(key) ?? []), body[figure]!]);
          }
        }
      }
      loads.push(loadavg()[0]!);
      process.stderr.write(`round ${round}/${ROUNDS} done (load ${loadavg()[0]!.toFixed(1)})\n`);
    }
  } finally {
    await Promise.all([...servers.values()].map((s) => s.stop()));
    killAll();
  }
  const table = renderTable(results);
  process.stdout.write(`${table}\n`);
  if (values.write) writeDoc(table, loads);
}

function renderTable(results: Results): string {
  const rows = ["| measurement | figure | " + ENGINES.join(" | ") + " |", "|---|---|" + ENGINES.map(() => "---:").join("|") + "|"];
  for (const { kind, label, figures } of KINDS) {
    for (const figure of figures) {
      const cells = ENGINES.map((engine) => format(figure, median(results.get(`${engine} ${kind} ${figure}`) ?? [])));
      rows.push(`| ${label} | ${figure === "perSecond" ? "rate" : figure.replace("Ms", "")} | ${cells.join(" | ")} |`);
    }
  }
  return rows.join("\n");
}

function writeDoc(table: string, loads: number[]): void {
  const path = join(ROOT, "docs", "BENCHMARKS-BUS.md");
  const text = `# Message bus benchmark

**Measured under contention**: other builds and test suites were running on this
${cpus().length}-core machine at the same time (1-minute load average during the
rounds: ${loads.map((l) => l.toFixed(1)).join(", ")}). Absolute numbers are low and
noisy; compare engines within this table only. The lead re-runs it on a quiet machine.

Command: \`node --import tsx scripts/bench/bus.ts --rounds ${ROUNDS} --write\`, ${new Date().toISOString().slice(0, 16)}Z.
lsky with 2 workers per engine (\`scripts/bench/bus-app.ts\`), engines interleaved
round by round; each cell is the median over ${ROUNDS} rounds.

Every message goes worker -> supervisor -> worker over the Unix-socket NDJSON bus
(docs/BUS.md). "request/reply" is one request awaited at a time (n = 2000 per
round): median and 99th percentile round trip, timed inside the requesting
worker; "worker->supervisor" is \`bus.request("supervisor", "ping")\`, one hop
each way, the floor under any bus round trip (the supervisor runs on the same
engine as its workers). "requests/s" keeps 32 requests in flight (n = 10000). "one-way
messages/s" is \`bus.send\` in a loop (n = 20000) until the receiver reports the
last one arrived.

${table}
`;
  writeFileSync(path, text);
  process.stderr.write(`wrote ${path}\n`);
}

await main();
