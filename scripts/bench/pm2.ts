import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { processGone, runToEnd } from "./processes.ts";
import { BIN } from "./paths.ts";
import { waitUntil } from "./probe.ts";
import { processStat } from "../../src/proc-stat.ts";

const PM2 = join(BIN, "pm2");

/**
 * A private PM2 daemon for the benchmark: its own PM2_HOME in a temp dir, so
 * the user's PM2 (if any) is never touched, and `pm2 kill` at the end stops
 * exactly this daemon. Created on first use.
 */
class Pm2Home {
  private home: string | undefined;

  env(): Record<string, string> {
    this.home ??= mkdtempSync(join(tmpdir(), "lsky-bench-pm2-"));
    return { PM2_HOME: this.home };
  }

  run(args: string[], extraEnv: Record<string, string> = {}): string {
    return runToEnd(PM2, args, { ...this.env(), ...extraEnv });
  }

  /** The pids of an app's instances, from `pm2 jlist`. */
  pids(name: string): number[] {
    const list = JSON.parse(this.run(["jlist"])) as Array<{ name: string; pid: number }>;
    return list.filter((p) => p.name === name && p.pid > 0).map((p) => p.pid);
  }

  /** The daemon's pid, from PM2_HOME/pm2.pid. */
  daemonPid(): number | undefined {
    if (!this.home) return undefined;
    const pidFile = join(this.home, "pm2.pid");
    return existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8")) : undefined;
  }

  /** Stops the daemon (`pm2 kill`), checks it is gone and removes PM2_HOME. */
  kill(): void {
    if (!this.home) return;
    const home = this.home;
    const daemon = this.daemonPid();
    this.home = undefined;
    spawnSync(PM2, ["kill"], { env: { ...process.env, PM2_HOME: home }, stdio: "ignore", timeout: 30_000 });
    if (daemon && !processGone(daemon)) {
      // pm2 kill normally stops it; this daemon is ours, so make sure.
      try {
        process.kill(daemon, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
    rmSync(home, { recursive: true, force: true });
  }
}

export const pm2 = new Pm2Home();
process.on("exit", () => pm2.kill());

/**
 * Starts a script in PM2 cluster mode with `instances` instances, its daemon
 * and workers pinned to `cpus` (every thread), or free on every CPU. The
 * daemon outlives one candidate's turn and PM2 starts it itself, so unlike
 * the other candidates it cannot be started under taskset: until
 * 2026-11-30 the pool suite left PM2 on both CPUs while lsky's pool, pinned
 * to one, shared it (PM2 got about 1.3 times lsky's CPU time there).
 */
export function pm2Start(name: string, script: string, instances: number, env: Record<string, string>, cpus?: string): void {
  pm2.run(["start", script, "--name", name, "-i", String(instances), "--no-autorestart"], env);
  const daemon = pm2.daemonPid();
  const every = `0-${availableParallelism() - 1}`;
  for (const pid of [...(daemon ? [daemon] : []), ...pm2.pids(name)]) {
    spawnSync("taskset", ["-a", "-p", "-c", cpus ?? every, String(pid)], { stdio: "ignore" });
  }
}

/** Deletes the app and waits until its processes are gone. */
export async function pm2Delete(name: string): Promise<void> {
  const pids = pm2.pids(name);
  pm2.run(["delete", name]);
  await waitUntil(`PM2 app ${name} to exit`, () => (pids.every(processGone) ? true : undefined), 15_000);
}

/** The process group of the daemon and its cluster workers (the daemon leads it). */
export function pm2DaemonPgid(): number[] {
  const pid = pm2.daemonPid();
  if (pid === undefined) return [];
  const pgid = processStat(pid)?.pgid;
  return pgid === undefined ? [] : [pgid];
}

export const PM2_START_SHOWN = "PM2_HOME=$(mktemp -d) pm2 start scripts/bench/servers/node-hono.mjs -i 2 --no-autorestart";
