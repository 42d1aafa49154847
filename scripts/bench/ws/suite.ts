// The WebSocket suite of `npm run bench` (--only ws): lsky against the raw
// engines, interleaved (A B A B …), medians of per-round figures and ratios.
// Returns a Markdown section for docs/BENCHMARKS.md.
import type { Engine } from "../paths.ts";
import { stopProcess } from "../processes.ts";
import { median, medianRatio } from "../stats.ts";
import { runClient } from "./client-run.ts";
import { type Candidate, lsky, raw, SERVER_CPUS, started } from "./servers.ts";
import { sendLatency } from "./send-latency.ts";

export interface WebSocketSuiteSettings {
  rounds: number;
  /** Seconds per measured run. */
  seconds: number;
  engines: Engine[];
  connections?: number;
  subscribers?: number;
}

const known = (list: (number | undefined)[]) => list.filter((v): v is number => v !== undefined);
const thousands = (n: number) => Math.round(n).toLocaleString("en-US");

/** A run's rate (the client's `field`) and the server's CPU time per counted unit, in nanoseconds. */
interface Run {
  rate: number;
  cpuNsPerUnit: number;
}

/** One run of the load client against a fresh server. */
async function measure(candidate: Candidate, args: string[], field: string, seconds: number): Promise<Run | undefined> {
  const { server, port } = await started(candidate);
  try {
    const { result, serverCpuMs } = await runClient(server.pid, `ws://127.0.0.1:${port}/ws`, args, (seconds + 60) * 1000);
    const rate = result[field]!;
    return { rate, cpuNsPerUnit: (serverCpuMs * 1e6) / (rate * seconds) };
  } catch (error) {
    process.stderr.write(`${candidate.name}: ${String(error)}\n`);
    return undefined;
  } finally {
    await stopProcess(server);
  }
}

type Runs = (Run | undefined)[];

async function interleaved(pair: [Candidate, Candidate], args: string[], field: string, settings: WebSocketSuiteSettings): Promise<[Runs, Runs]> {
  const a: Runs = [];
  const b: Runs = [];
  for (let round = 0; round < settings.rounds; round++) {
    a.push(await measure(pair[0], args, field, settings.seconds));
    b.push(await measure(pair[1], args, field, settings.seconds));
    process.stderr.write(`round ${round + 1}: ${pair[0].name} ${JSON.stringify(a.at(-1))}, ${pair[1].name} ${JSON.stringify(b.at(-1))}\n`);
  }
  return [a, b];
}

/** Median rate of each, the median per-round rate ratio, and the medians of the CPU time per unit. */
function row(a: Runs, b: Runs, cpuUnit: (ns: number) => string): string {
  const rates = (runs: Runs) => runs.map((run) => run?.rate);
  const cpu = (runs: Runs) => median(known(runs.map((run) => run?.cpuNsPerUnit)));
  return `${thousands(median(known(rates(a))))} | ${thousands(median(known(rates(b))))} | ${medianRatio(rates(a), rates(b)).toFixed(2)} | ${cpuUnit(cpu(a))} | ${cpuUnit(cpu(b))}`;
}

async function echoSection(settings: WebSocketSuiteSettings, connections: number): Promise<string[]> {
  const lines = [`Echo, ${connections} connections, 4 messages of 64 bytes in flight each, one worker (messages/s and server CPU time per message, medians of ${settings.rounds}):`, "",
    "| engine | lsky, 1 worker | raw engine | lsky / raw | lsky CPU | raw CPU |", "|---|---|---|---|---|---|"];
  const pairs: [string, Candidate, Candidate][] = settings.engines.flatMap((engine): [string, Candidate, Candidate][] => [
    [engine, lsky(engine, 1), raw(engine)],
    // Deno's default server is Deno.serve; `--deno-server node` is node:http with `ws`.
    ...(engine === "deno" ? [["deno, `--deno-server node`", lsky("deno", 1, ["--deno-server", "node"]), raw("deno")] as [string, Candidate, Candidate]] : []),
  ]);
  for (const [label, mine, theirs] of pairs) {
    const [a, b] = await interleaved([mine, theirs], ["echo", String(connections), "4", String(settings.seconds)], "messagesPerSecond", settings);
    lines.push(`| ${label} | ${row(a, b, (ns) => `${(ns / 1000).toFixed(1)} µs`)} |`);
  }
  return lines;
}

async function broadcastSection(settings: WebSocketSuiteSettings, subscribers: number): Promise<string[]> {
  const lines = [`Broadcast, one publisher, ${subscribers} subscribers, 64-byte messages; the publisher keeps at most WINDOW messages not yet seen by every probe subscriber (every 50th), so a small window measures the round trip and a large one the throughput. Both servers on CPU 0 (lsky's two workers and supervisor share it), the client on CPU 1 (deliveries/s and server CPU time per delivery, medians of ${settings.rounds}):`, "",
    "| window | lsky bun, 2 workers | raw Bun.serve, 1 process (`server.publish`) | lsky / raw | lsky CPU | raw CPU |", "|---|---|---|---|---|---|"];
  // Pinned like the raw server: unpinned, the workers took turns with the
  // load client on its CPU, and the run measured the client's slowdown.
  const pool = lsky("bun", 2, [], SERVER_CPUS);
  for (const window of ["16", "256"]) {
    const [a, b] = await interleaved([pool, raw("bun")], ["broadcast", String(subscribers), window, String(settings.seconds)], "deliveredPerSecond", settings);
    lines.push(`| ${window} | ${row(a, b, (ns) => `${Math.round(ns)} ns`)} |`);
  }
  return lines;
}

async function sendSection(settings: WebSocketSuiteSettings): Promise<string[]> {
  const lines = ["`sockets.send(id)` to a connection on the other worker (2 workers; one at a time, 500 sends):", "",
    "| engine | median | p99 |", "|---|---|---|"];
  for (const engine of settings.engines) {
    const { median: mid, p99 } = await sendLatency(engine, 500);
    lines.push(`| ${engine} | ${mid.toFixed(2)} ms | ${p99.toFixed(2)} ms |`);
  }
  return lines;
}

/** Echo per engine, broadcast on Bun, cross-worker send latency: the Markdown tables. */
export async function runWebSocketSuite(settings: WebSocketSuiteSettings): Promise<string> {
  const echo = await echoSection(settings, settings.connections ?? 50);
  // Broadcast compares with Bun's in-process server.publish: only where Bun is measured.
  const broadcast = settings.engines.includes("bun") ? await broadcastSection(settings, settings.subscribers ?? 1000) : [];
  const send = await sendSection(settings);
  return [...echo, "", ...broadcast, ...(broadcast.length ? [""] : []), ...send].join("\n");
}
