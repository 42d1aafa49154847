// The WebSocket suite of `npm run bench` (--only ws): lsky against the raw
// engines, interleaved (A B A B …), medians of per-round figures and ratios.
// Returns a Markdown section for docs/BENCHMARKS.md.
import { join } from "node:path";
import type { Engine } from "../paths.ts";
import { BIN, ROOT } from "../paths.ts";
import { runToEnd, stopProcess } from "../processes.ts";
import { median, medianRatio } from "../stats.ts";
import { CLIENT_CPUS, type Candidate, lsky, raw, started } from "./servers.ts";
import { sendLatency } from "./send-latency.ts";

export interface WebSocketSuiteSettings {
  rounds: number;
  /** Seconds per measured run. */
  seconds: number;
  engines: Engine[];
  connections?: number;
  subscribers?: number;
}

const CLIENT = join(ROOT, "scripts", "bench", "ws", "load-client.ts");
const known = (list: (number | undefined)[]) => list.filter((v): v is number => v !== undefined);
const thousands = (n: number) => Math.round(n).toLocaleString("en-US");

/** One run of the load client against a fresh server. */
async function measure(candidate: Candidate, args: string[], field: string, seconds: number): Promise<number | undefined> {
  const { server, port } = await started(candidate);
  try {
    const [mode, ...rest] = args;
    const out = runToEnd("taskset", ["-c", CLIENT_CPUS, join(BIN, "bun"), CLIENT, mode!, `ws://127.0.0.1:${port}/ws`, ...rest], {}, (seconds + 60) * 1000);
    const line = out.trim().split("\n").at(-1)!;
    return (JSON.parse(line) as Record<string, number>)[field];
  } catch (error) {
    process.stderr.write(`${candidate.name}: ${String(error)}\n`);
    return undefined;
  } finally {
    await stopProcess(server);
  }
}

async function interleaved(pair: [Candidate, Candidate], args: string[], field: string, settings: WebSocketSuiteSettings): Promise<[(number | undefined)[], (number | undefined)[]]> {
  const a: (number | undefined)[] = [];
  const b: (number | undefined)[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    a.push(await measure(pair[0], args, field, settings.seconds));
    b.push(await measure(pair[1], args, field, settings.seconds));
    process.stderr.write(`round ${round + 1}: ${pair[0].name} ${a.at(-1)}, ${pair[1].name} ${b.at(-1)}\n`);
  }
  return [a, b];
}

async function echoSection(settings: WebSocketSuiteSettings, connections: number): Promise<string[]> {
  const lines = [`Echo, ${connections} connections, 4 messages of 64 bytes in flight each, one worker (messages/s, median of ${settings.rounds}):`, "",
    "| engine | lsky, 1 worker | raw engine | lsky / raw |", "|---|---|---|---|"];
  const pairs: [string, Candidate, Candidate][] = settings.engines.flatMap((engine): [string, Candidate, Candidate][] => [
    [engine, lsky(engine, 1), raw(engine)],
    // Deno's default server is node:http with `ws`; Deno.serve is the engine's own.
    ...(engine === "deno" ? [["deno, `--deno-server native`", lsky("deno", 1, ["--deno-server", "native"]), raw("deno")] as [string, Candidate, Candidate]] : []),
  ]);
  for (const [label, mine, theirs] of pairs) {
    const [a, b] = await interleaved([mine, theirs], ["echo", String(connections), "4", String(settings.seconds)], "messagesPerSecond", settings);
    lines.push(`| ${label} | ${thousands(median(known(a)))} | ${thousands(median(known(b)))} | ${medianRatio(a, b).toFixed(2)} |`);
  }
  return lines;
}

async function broadcastSection(settings: WebSocketSuiteSettings, subscribers: number): Promise<string[]> {
  const lines = [`Broadcast, one publisher, ${subscribers} subscribers, 64-byte messages; the publisher keeps at most WINDOW messages not yet seen by every probe subscriber (every 50th), so a small window measures the round trip and a large one the throughput (deliveries/s, median of ${settings.rounds}):`, "",
    "| window | lsky bun, 2 workers | raw Bun.serve, 1 process (`server.publish`) | lsky / raw |", "|---|---|---|---|"];
  for (const window of ["16", "256"]) {
    const [pool, single] = await interleaved([lsky("bun", 2), raw("bun")], ["broadcast", String(subscribers), window, String(settings.seconds)], "deliveredPerSecond", settings);
    lines.push(`| ${window} | ${thousands(median(known(pool)))} | ${thousands(median(known(single)))} | ${medianRatio(pool, single).toFixed(2)} |`);
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
