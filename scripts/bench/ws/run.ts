// The WebSocket benchmark: lsky against the raw engines, interleaved
// (A B A B …), medians of per-round figures and ratios.
//   node --import tsx scripts/bench/ws/run.ts [--rounds N] [--seconds S] [--engines bun,deno,node]
// Prints a Markdown section for docs/BENCHMARKS.md.
import { parseArgs } from "node:util";
import { join } from "node:path";
import type { Engine } from "../paths.ts";
import { BIN, ROOT } from "../paths.ts";
import { runToEnd, stopProcess } from "../processes.ts";
import { median, medianRatio } from "../stats.ts";
import { CLIENT_CPUS, type Candidate, lsky, raw, started } from "./servers.ts";
import { sendLatency } from "./send-latency.ts";

const { values } = parseArgs({ options: {
  rounds: { type: "string", default: "3" },
  seconds: { type: "string", default: "3" },
  engines: { type: "string", default: "bun,deno,node" },
  connections: { type: "string", default: "50" },
  subscribers: { type: "string", default: "1000" },
} });
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const engines = values.engines!.split(",") as Engine[];
const CLIENT = join(ROOT, "scripts", "bench", "ws", "load-client.ts");

/** One run of the load client against a fresh server. */
async function measure(candidate: Candidate, args: string[], field: string): Promise<number | undefined> {
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

async function interleaved(pair: [Candidate, Candidate], args: string[], field: string): Promise<[(number | undefined)[], (number | undefined)[]]> {
  const a: (number | undefined)[] = [];
  const b: (number | undefined)[] = [];
  for (let round = 0; round < rounds; round++) {
    a.push(await measure(pair[0], args, field));
    b.push(await measure(pair[1], args, field));
    process.stderr.write(`round ${round + 1}: ${pair[0].name} ${a.at(-1)}, ${pair[1].name} ${b.at(-1)}\n`);
  }
  return [a, b];
}

const known = (list: (number | undefined)[]) => list.filter((v): v is number => v !== undefined);
const thousands = (n: number) => Math.round(n).toLocaleString("en-US");
const lines: string[] = [];

const echoArgs = ["echo", values.connections!, "4", String(seconds)];
lines.push(`Echo, ${values.connections} connections, 4 messages of 64 bytes in flight each, one worker (messages/s, median of ${rounds}):`, "",
  "| engine | lsky, 1 worker | raw engine | lsky / raw |", "|---|---|---|---|");
const echoPairs: [string, Candidate, Candidate][] = engines.flatMap((engine): [string, Candidate, Candidate][] => [
  [engine, lsky(engine, 1), raw(engine)],
  // Deno's default server is node:http with `ws`; Deno.serve is the engine's own.
  ...(engine === "deno" ? [["deno, `--deno-server native`", lsky("deno", 1, ["--deno-server", "native"]), raw("deno")] as [string, Candidate, Candidate]] : []),
]);
for (const [label, mine, theirs] of echoPairs) {
  const [a, b] = await interleaved([mine, theirs], echoArgs, "messagesPerSecond");
  lines.push(`| ${label} | ${thousands(median(known(a)))} | ${thousands(median(known(b)))} | ${medianRatio(a, b).toFixed(2)} |`);
}

lines.push("", `Broadcast, one publisher, ${values.subscribers} subscribers, 64-byte messages; the publisher keeps at most WINDOW messages not yet seen by every probe subscriber (every 50th), so a small window measures the round trip and a large one the throughput (deliveries/s, median of ${rounds}):`, "",
  "| window | lsky bun, 2 workers | raw Bun.serve, 1 process (`server.publish`) | lsky / raw |", "|---|---|---|---|");
for (const window of ["16", "256"]) {
  const [pool, single] = await interleaved([lsky("bun", 2), raw("bun")], ["broadcast", values.subscribers!, window, String(seconds)], "deliveredPerSecond");
  lines.push(`| ${window} | ${thousands(median(known(pool)))} | ${thousands(median(known(single)))} | ${medianRatio(pool, single).toFixed(2)} |`);
}

lines.push("", "`sockets.send(id)` to a connection on the other worker (2 workers; one at a time, 500 sends):", "",
  "| engine | median | p99 |", "|---|---|---|");
for (const engine of engines) {
  const { median: mid, p99 } = await sendLatency(engine, 500);
  lines.push(`| ${engine} | ${mid.toFixed(2)} ms | ${p99.toFixed(2)} ms |`);
}
console.log(lines.join("\n"));
