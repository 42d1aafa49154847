// Runs `lsky serve` under load, reloads it N times and prints the load's
// totals as one JSON line. Used by tests that run it inside a network
// namespace (unshare -n) where they set kernel settings such as
// net.ipv4.tcp_migrate_req. Usage: reload-probe.ts TARGET RELOADS keepalive|new-connections
import { startLoad, summary, waitForSuccesses } from "./load.ts";
import { killAll, runLsky, startLsky } from "./lsky.ts";
import { fixture, TARGETS } from "./targets.ts";

const [name, reloadsText, mode] = process.argv.slice(2);
const target = TARGETS.find((t) => t.name === name);
if (!target || !reloadsText || !mode) throw new Error("usage: reload-probe.ts TARGET RELOADS keepalive|new-connections");

try {
  const server = await startLsky(target, [fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1"]);
  const load = startLoad({
    url: `${server.url}/`, connections: 8, maxRequests: 1_000_000, maxDuration: 90_000, keepAlive: mode === "keepalive",
  });
  try {
    await waitForSuccesses(load, 100);
    for (let i = 0; i < Number(reloadsText); i++) {
      const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
      if (reload.code !== 0) throw new Error(`reload failed: ${reload.stderr}`);
      await waitForSuccesses(load, 20);
    }
  } finally {
    process.stdout.write(`${JSON.stringify(summary(await load.stop()))}\n`);
    await server.stop();
  }
} finally {
  killAll();
}
