// Measures the app listeners (docs/LISTENERS.md) on each engine: TCP line
// echo rounds (a new connection each) and UDP echo datagrams, as CPU time of
// the whole server per unit (steadier than throughput on a shared machine),
// and how many UDP datagrams a reload loses while worker 1, the UDP owner,
// is replaced. Usage: node --import tsx scripts/bench/listeners.ts [engines]
import { spawn, spawnSync } from "node:child_process";
import { createSocket } from "node:dgram";
import { mkdtempSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpuMsBetween, snapshotCpu } from "./cpu.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "listeners");
const LSKY = join(ROOT, "dist", "lsky.mjs");
const SECONDS = 3;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function tcpRound(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let received = "";
    socket.on("connect", () => socket.write("one\ntwo\nquit\n"));
    socket.on("data", (chunk) => (received += chunk));
    socket.on("error", () => {});
    socket.on("close", () => resolve(received === "echo: one\necho: two\n"));
  });
}

async function tcpLoad(port: number, until: number): Promise<{ ok: number; failed: number }> {
  const totals = { ok: 0, failed: 0 };
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (Date.now() < until) (await tcpRound(port)) ? totals.ok++ : totals.failed++;
  }));
  return totals;
}

/** Keeps `window` datagrams outstanding until `until`; counts the replies. */
function udpLoad(port: number, until: number, window = 32): Promise<{ sent: number; echoed: number }> {
  const socket = createSocket("udp4");
  const totals = { sent: 0, echoed: 0 };
  const send = () => (totals.sent++, socket.send("ping", port, "127.0.0.1"));
  return new Promise((resolve) => {
    socket.on("message", () => {
      totals.echoed++;
      if (Date.now() < until) send();
    });
    for (let i = 0; i < window; i++) send();
    // Refill what UDP dropped, so a loss does not stall the window.
    const refill = setInterval(() => {
      if (totals.sent - totals.echoed < window && Date.now() < until) send();
    }, 5);
    setTimeout(() => (clearInterval(refill), socket.close(), resolve(totals)), until - Date.now() + 200);
  });
}

/** One datagram every 2 ms through a reload; each carries its number, so a lost one is counted once. */
async function udpThroughReload(port: number, httpPort: number, cwd: string): Promise<{ sent: number; lost: number }> {
  const socket = createSocket("udp4");
  const replies = new Set<string>();
  socket.on("message", (message) => replies.add(String(message).slice("echo: ".length)));
  let sent = 0;
  const timer = setInterval(() => socket.send(String(sent++), port, "127.0.0.1"), 2);
  const reload = spawnSync(process.execPath, [LSKY, "reload", "--port", String(httpPort)], { cwd, encoding: "utf8" });
  if (reload.status !== 0) throw new Error(`reload failed: ${reload.stderr}`);
  await new Promise((resolve) => setTimeout(resolve, 500));
  clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.close();
  return { sent, lost: sent - replies.size };
}

function serverPids(httpPort: number, cwd: string): number[] {
  const status = spawnSync(process.execPath, [LSKY, "status", "--json", "--port", String(httpPort)], { cwd, encoding: "utf8" });
  const report = JSON.parse(status.stdout) as { pid: number; workers: { pid: number }[] };
  return [report.pid, ...report.workers.map((w) => w.pid)];
}

async function measure(engine: string): Promise<Record<string, unknown>> {
  const [http, tcp, udp] = [await freePort(), await freePort(), await freePort()];
  const cwd = mkdtempSync(join(tmpdir(), "lsky-bench-listeners-"));
  const server = spawn(process.execPath, [LSKY, "serve", join(EXAMPLE, "app.ts"), "--runtime", engine, "--workers", "2",
    "--host", "127.0.0.1", "--port", String(http), "--listeners", `tcp:${tcp}=${join(EXAMPLE, "echo-tcp.ts")},udp:${udp}=${join(EXAMPLE, "echo-udp.ts")}`],
  { cwd, detached: true, stdio: "ignore" });
  try {
    for (let i = 0; i < 200 && !(await fetch(`http://127.0.0.1:${http}/`).then(() => true, () => false)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Bun and Deno workers lead process groups of their own: count every process of the server.
    const group = serverPids(http, cwd);
    let before = snapshotCpu(group);
    const tcpTotals = await tcpLoad(tcp, Date.now() + SECONDS * 1000);
    const tcpCpu = cpuMsBetween(before, snapshotCpu(group));
    before = snapshotCpu(group);
    const udpTotals = await udpLoad(udp, Date.now() + SECONDS * 1000);
    const udpCpu = cpuMsBetween(before, snapshotCpu(group));
    const reload = await udpThroughReload(udp, http, cwd);
    return {
      engine,
      tcpRoundsPerSecond: Math.round(tcpTotals.ok / SECONDS), tcpFailed: tcpTotals.failed,
      tcpCpuMsPerRound: +(tcpCpu / tcpTotals.ok).toFixed(3),
      udpEchoedPerSecond: Math.round(udpTotals.echoed / SECONDS), udpLost: udpTotals.sent - udpTotals.echoed,
      udpCpuUsPerDatagram: +((udpCpu * 1000) / udpTotals.echoed).toFixed(1),
      udpReloadSent: reload.sent, udpReloadLost: reload.lost,
    };
  } finally {
    process.kill(-server.pid!, "SIGTERM");
  }
}

for (const engine of (process.argv[2] ?? "node,bun,deno").split(",")) {
  console.log(JSON.stringify(await measure(engine)));
}
