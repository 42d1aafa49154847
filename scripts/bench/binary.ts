// The compiled executables of the bench: lsky's own (dist/lsky, `bun build
// --compile` with Bun inside) and, as its raw peer, the Bun.serve hello
// compiled the same way.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Candidate, group } from "./candidates.ts";
import { APP, BIN, ROOT, SERVERS, shown } from "./paths.ts";
import { startProcess } from "./processes.ts";

export const LSKY_BINARY = join(ROOT, "dist", "lsky");
const HOST = "127.0.0.1";

/** `dist/lsky serve APP --workers N`; each start gets its own directory (lsky's control socket lives there). */
export function binaryCandidate(workers: number, app = APP, idPrefix = "lsky-binary"): Candidate {
  const args = (port: number | string) => ["serve", app, "--workers", String(workers), "--host", HOST, "--port", String(port)];
  return {
    id: `${idPrefix}-${workers}`,
    label: `dist/lsky --workers ${workers}`,
    engine: "binary",
    instances: workers,
    command: `dist/lsky ${args("PORT").map(shown).join(" ")}`,
    start: async (port, cpus) => {
      if (!existsSync(LSKY_BINARY)) throw new Error("dist/lsky is missing: build it with npm run build");
      const cwd = mkdtempSync(join(tmpdir(), "lsky-bench-"));
      const running = group([startProcess(LSKY_BINARY, args(port), { cpus, cwd })]);
      return { ...running, stop: () => running.stop().finally(() => rmSync(cwd, { recursive: true, force: true })) };
    },
  };
}

/** servers/bun-serve.ts (the bench app on Bun.serve) built with `bun build --compile`, once per run. */
export class CompiledHello {
  private dir: string | undefined;

  private build(): string {
    this.dir ??= mkdtempSync(join(tmpdir(), "lsky-bench-compiled-"));
    const out = join(this.dir, "bun-serve");
    if (existsSync(out)) return out;
    const result = spawnSync(join(BIN, "bun"), ["build", "--compile", join(SERVERS, "bun-serve.ts"), "--outfile", out], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`bun build --compile failed: ${result.stderr}`);
    return out;
  }

  candidate(): Candidate {
    return {
      id: "bun-compiled",
      label: "raw Bun.serve, bun build --compile",
      engine: "binary",
      instances: 1,
      command: "bun build --compile scripts/bench/servers/bun-serve.ts --outfile bun-serve && PORT=PORT ./bun-serve",
      start: async (port, cpus) => group([startProcess(this.build(), [], { cpus, env: { PORT: String(port), HOST } })]),
    };
  }

  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
