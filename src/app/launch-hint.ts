import { basename, delimiter, dirname, relative, sep } from "node:path";
import type { Engine } from "../runtime/detect.ts";

export interface LaunchFacts {
  engine: Engine;
  /** True for dist/lsky or an executable made by `lsky compile`. */
  compiled: boolean;
  /** The executable (the binary itself, or the engine). */
  execPath: string;
  /** lsky's script when an engine runs it (dist/lsky.mjs, node_modules/lsky/dist/lsky.mjs). */
  script: string;
  cwd: string;
  /** The PATH environment variable. */
  path: string;
}

/**
 * How the person who started this server can run lsky again from where they
 * are: `lsky` is on the PATH only when they put it there, so the welcome page
 * shows `dist/lsky`, `npx lsky` or the script as it was run.
 */
export function lskyCommandFor(facts: LaunchFacts): string {
  if (facts.compiled) {
    const onPath = facts.path.split(delimiter).filter(Boolean).includes(dirname(facts.execPath));
    return onPath ? basename(facts.execPath) : shortPath(facts.execPath, facts.cwd);
  }
  if (facts.script.includes(`${sep}node_modules${sep}lsky${sep}`)) {
    return { node: "npx lsky", bun: "bunx --bun lsky", deno: "deno run -A npm:lsky" }[facts.engine];
  }
  const script = shortPath(facts.script, facts.cwd);
  return { node: `node ${script}`, bun: `bun ${script}`, deno: `deno run -A ${script}` }[facts.engine];
}

/** The path relative to `cwd` when that is below it, else the absolute one. */
function shortPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel.startsWith("..") || rel === "") return path;
  return rel.includes(sep) ? rel : `.${sep}${rel}`;
}
