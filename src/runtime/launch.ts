import { existsSync, readFileSync } from "node:fs";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { embeddedBundle } from "./embedded-assets.ts";
import { LskyError } from "../errors.ts";
import { contentHash, writeCachedFile } from "../private-dir.ts";
import { runtimeDir } from "../paths.ts";
import { denoAppFlags } from "./deno-app-flags.ts";
import { currentEngine, isCompiledBinary } from "./detect.ts";
import type { Engine } from "./types.ts";

/** How to start lsky again: a command and the arguments that precede lsky's own. */
export interface LaunchCommand {
  command: string;
  args: string[];
}

// Deno needs --unstable-net for Deno.serve({ reusePort }) and -A because a
// server reads its app, env and network like any program.
const DENO_FLAGS = ["run", "-A", "--unstable-net", "--quiet"];
// lsky loads .env itself (config/dotenv.ts) and passes the result down; Bun
// would otherwise load .env files again, its own way, in every worker.
const BUN_FLAGS = ["--no-env-file"];

/**
 * The command that starts lsky on the engine this process runs on: used to
 * launch workers, which are always this same program with another role. A
 * compiled binary is its own command; a script is run by the engine again
 * (from the worker bundle where there is one).
 * Deno is also told where the app's packages and configuration are.
 */
export function selfLaunchCommand(appEntry?: string): LaunchCommand {
  if (isCompiledBinary()) return { command: process.execPath, args: [] };
  const script = roleScript();
  switch (currentEngine()) {
    case "deno":
      return { command: process.execPath, args: [...DENO_FLAGS, ...denoAppFlags(appEntry), script] };
    case "bun":
      return { command: process.execPath, args: [...BUN_FLAGS, script] };
    default:
      return { command: process.execPath, args: [script] };
  }
}

/**
 * The command that starts lsky on another engine. lsky's supervisor always
 * runs on the engine its workers use (Node shares a port through its own
 * cluster module, which only a Node supervisor can drive).
 */
export function engineLaunchCommand(engine: Engine): LaunchCommand {
  const binary = findEngineBinary(engine);
  const script = scriptFor(engine);
  const flags = engine === "deno" ? DENO_FLAGS : engine === "bun" ? BUN_FLAGS : [];
  return { command: binary, args: [...flags, script] };
}

function scriptFor(engine: Engine): string {
  const extracted = extractEmbeddedBundle();
  if (extracted) return extracted;
  const current = isCompiledBinary() ? undefined : lskyScript();
  // Bun and Deno run lsky's TypeScript sources; Node 20 needs the bundle.
  if (current && (current.endsWith(".mjs") || engine !== "node")) return current;
  const bundle = findBundle(current);
  if (bundle) return bundle;
  throw new LskyError("ENGINE_UNSUPPORTED", `Cannot run lsky on ${engine}: dist/lsky.mjs was not found`, {
    hint: 'Run "npm run build" first',
  });
}

function findBundle(current: string | undefined): string | undefined {
  const candidates = [
    current && join(dirname(current), "..", "..", "dist", "lsky.mjs"),
    join(dirname(process.execPath), "lsky.mjs"),
    resolve("dist", "lsky.mjs"),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c));
}

/**
 * Inside dist/lsky, writes the embedded Node/Deno bundle to a file the other
 * engine can run, in the runtime directory once it is checked to be this
 * user's alone. A file already there is run only if it holds exactly the
 * embedded bytes: whatever else sits under that name is replaced, never run.
 */
function extractEmbeddedBundle(): string | undefined {
  const embedded = embeddedBundle();
  if (!embedded) return undefined;
  const text = readFileSync(embedded);
  return writeCachedFile(runtimeDir(), `lsky-${contentHash(text)}.mjs`, text);
}

// build/build.mjs writes both: the commands' bundle and, beside it, the
// workers' (no commands, supervisor or Redis client).
const COMMAND_BUNDLE = "lsky.mjs";
const WORKER_BUNDLE = "lsky-worker.mjs";

/** lsky's command script: dist/lsky.mjs (also from a worker run by the worker bundle), or src/cli/main.ts. */
export function lskyScript(): string {
  const here = fileURLToPath(import.meta.url);
  // In a bundle every module is this one file; from sources, this file
  // lives in src/runtime/ and the entry is src/cli/main.ts.
  if (!here.endsWith(".mjs")) return join(dirname(here), "..", "cli", "main.ts");
  return basename(here) === WORKER_BUNDLE ? join(dirname(here), COMMAND_BUNDLE) : here;
}

/** What a worker or custom process is started from: the worker bundle beside lsky.mjs, or lsky's own script. */
export function roleScript(): string {
  const script = lskyScript();
  if (basename(script) !== COMMAND_BUNDLE) return script;
  const workers = join(dirname(script), WORKER_BUNDLE);
  return existsSync(workers) ? workers : script;
}

/** Finds an engine's executable: $LSKY_<ENGINE>_BIN, lsky's own node_modules, then PATH. */
export function findEngineBinary(engine: Engine): string {
  if (engine === currentEngine()) return process.execPath;
  const variable = `LSKY_${engine.toUpperCase()}_BIN`;
  const override = process.env[variable];
  if (override) {
    if (existsSync(override)) return override;
    throw new LskyError("ENGINE_MISSING", `Cannot run on ${engine}: ${variable} is "${override}", which does not exist`, {
      hint: installHint(engine),
    });
  }
  // lsky's own node_modules: two levels up from src/cli/main.ts, one from dist/lsky.mjs.
  const lskyDir = dirname(lskyScript());
  const local = isCompiledBinary() ? [] : [join(lskyDir, "..", ".."), join(lskyDir, "..")]
    .map((root) => join(root, "node_modules", ".bin", engine));
  const found = local.find((candidate) => existsSync(candidate));
  if (found) return found;
  const onPath = findOnPath(engine);
  if (onPath) return onPath;
  throw new LskyError("ENGINE_MISSING", `Cannot run on ${engine}: the "${engine}" executable was not found`, {
    hint: installHint(engine),
  });
}

/** The first `program` in PATH's directories, then in `fallbacks`, that `accept` takes (by default: it exists). */
export function findOnPath(program: string, fallbacks: string[] = [], accept: (path: string) => boolean = existsSync): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter).concat(fallbacks)) {
    const candidate = join(dir, program);
    if (dir && accept(candidate)) return candidate;
  }
  return undefined;
}

function installHint(engine: Engine): string {
  return engine === "node"
    ? "Install Node.js 20 or later (https://nodejs.org), or set LSKY_NODE_BIN to its path"
    : `Install it with "npm install -g ${engine}", or set LSKY_${engine.toUpperCase()}_BIN to its path`;
}
