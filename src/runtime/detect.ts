/** The engines lsky runs on. */
export type Engine = "bun" | "deno" | "node";

/** The one place that decides which engine lsky is running on. */
export function currentEngine(): Engine {
  const g = globalThis as { Bun?: unknown; Deno?: unknown };
  if (g.Bun !== undefined) return "bun";
  if (g.Deno !== undefined) return "deno";
  return "node";
}

/** The running engine's version. */
export function currentEngineVersion(): string {
  const g = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } } };
  if (g.Bun) return g.Bun.version;
  if (g.Deno) return g.Deno.version.deno;
  return process.versions.node;
}

/** True inside an executable made by `bun build --compile` (lsky's dist/lsky or `lsky compile` output). */
export function isCompiledBinary(): boolean {
  return import.meta.url.includes("$bunfs") || (process.argv[1] ?? "").startsWith("/$bunfs/");
}
