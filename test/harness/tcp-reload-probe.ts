// Runs `lsky serve` with the line-based TCP echo of examples/listeners under
// load (8 clients, each opening a new connection per round), reloads it N
// times and prints the totals as one JSON line. Run inside a network
// namespace (unshare -n) with net.ipv4.tcp_migrate_req=1 by
// test/listeners-reload.test.ts. A failed round is listed with the reload it
// fell in and the ms since that reload began, and the server's output is
// printed with the totals, so a rare failure can be traced to a step.
// Usage: tcp-reload-probe.ts TARGET RELOADS
import { join } from "node:path";
import { tcpEchoRound } from "./line-echo.ts";
import { killAll, runLsky, startLsky } from "./lsky.ts";
import { freePort } from "./ports.ts";
import { ROOT, TARGETS } from "./targets.ts";
import { waitFor } from "./wait.ts";
import { tempDir } from "./temp-dir.ts";

const [name, reloadsText] = process.argv.slice(2);
const target = TARGETS.find((t) => t.name === name);
if (!target || !reloadsText) throw new Error("usage: tcp-reload-probe.ts TARGET RELOADS");

const CLIENTS = 8;
const MAX_ROUNDS = 200_000;
const totals = { ok: 0, failed: 0, errors: {} as Record<string, number> };
const failures: { error: string; reload: number; ms: number }[] = [];
const phase = { reload: 0, since: performance.now() };
let stopping = false;

async function client(port: number): Promise<void> {
  for (let round = 0; !stopping && totals.ok + totals.failed < MAX_ROUNDS; round++) {
    const result = await tcpEchoRound(port, [`round ${round}`, "second line"]);
    if (result.ok) totals.ok++;
    else recordFailure(result.error);
  }
}

function recordFailure(error: string): void {
  totals.failed++;
  totals.errors[error] = (totals.errors[error] ?? 0) + 1;
  failures.push({ error, reload: phase.reload, ms: Math.round(performance.now() - phase.since) });
}

async function successes(count: number): Promise<void> {
  const goal = totals.ok + count;
  await waitFor(`${count} more echo rounds`, () => totals.ok >= goal, 60_000);
}

try {
  const example = join(ROOT, "examples", "listeners");
  const tcp = await freePort();
  // A directory of its own: one server per directory (the control socket).
  const cwd = tempDir("lsky-tcp-reload-");
  const server = await startLsky(target, [join(example, "app.ts"), "--workers", "2", "--host", "127.0.0.1",
    "--listeners", `tcp:${tcp}=${join(example, "echo-tcp.ts")}`], { cwd });
  const clients = Array.from({ length: CLIENTS }, () => client(tcp));
  try {
    await successes(100);
    for (let i = 0; i < Number(reloadsText); i++) {
      Object.assign(phase, { reload: i + 1, since: performance.now() });
      const reload = await runLsky(target, ["reload", "--port", String(server.port)], { cwd });
      if (reload.code !== 0) throw new Error(`reload failed: ${reload.stderr}`);
      await successes(50);
    }
  } finally {
    stopping = true;
    await Promise.all(clients);
    try {
      await server.stop();
    } finally {
      if (failures.length > 0) process.stdout.write(`failed rounds: ${JSON.stringify(failures)}\nserver output:\n${server.output()}\n`);
      process.stdout.write(`${JSON.stringify(totals)}\n`);
    }
  }
} finally {
  killAll();
}
