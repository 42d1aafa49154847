import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LskyError } from "../errors.ts";
import { currentEngine, isCompiledBinary } from "../runtime/detect.ts";
import { findEngineBinary } from "../runtime/launch.ts";
import { parseCommandArgs } from "./args.ts";
import { embeddedLibrary } from "../runtime/embedded-assets.ts";
import { COMPILE_SCRIPT } from "./compile-script.ts";

const HELP = `Usage: lsky compile app.ts [-o FILE]

Builds one executable that contains lsky and the app (with bun build --compile).
Run it as ./FILE [serve options]: it serves the app with the same flags as "lsky serve".
`;

/** `lsky compile app.ts -o myapp`. */
export async function compileCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("compile", args, {
    outfile: { type: "string", short: "o" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void process.stdout.write(HELP), 0;
  const entry = positionals[0];
  if (!entry || positionals.length > 1) {
    throw new LskyError("USAGE", "Expected one app entry to compile", { hint: "lsky compile app.ts -o myapp" });
  }
  const appPath = resolve(entry);
  if (!existsSync(appPath)) throw new LskyError("APP_NOT_FOUND", `Cannot compile "${entry}": no such file`);
  const outfile = resolve(String(values.outfile ?? basename(entry, extname(entry))));

  const work = mkdtempSync(join(tmpdir(), "lsky-compile-"));
  try {
    step(1, `Preparing the entry for ${entry}`);
    const library = libraryPath(work);
    const entryFile = writeEntry(work, library, appPath, basename(entry));
    const bun = bunCommand();
    step(2, `Compiling with ${bun.label}`);
    runBunBuild(bun, entryFile, outfile, library);
    step(3, `Wrote ${outfile} (${(statSync(outfile).size / 1_048_576).toFixed(1)} MB)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return 0;
}

function step(n: number, text: string): void {
  process.stdout.write(`[${n}/3] ${text}\n`);
}

function writeEntry(work: string, library: string, appPath: string, label: string): string {
  const entryFile = join(work, "entry.ts");
  writeFileSync(entryFile, [
    `import { main, setEmbeddedApp } from ${JSON.stringify(library)};`,
    `import app from ${JSON.stringify(appPath)};`,
    `setEmbeddedApp(app, ${JSON.stringify(`${label} (compiled in)`)});`,
    `void main(process.argv.slice(2), { embedded: true });`,
    "",
  ].join("\n"));
  return entryFile;
}

/** lsky's own code for the new executable: the sources, the bundle beside this one, or the copy inside this binary. */
function libraryPath(work: string): string {
  const embedded = embeddedLibrary();
  if (embedded) {
    const copy = join(work, "lsky-lib.mjs");
    writeFileSync(copy, readFileSync(embedded));
    return copy;
  }
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".mjs")) return join(dirname(here), "lsky-lib.mjs");
  return join(dirname(here), "..", "lib.ts");
}

interface BunCommand {
  command: string;
  env: NodeJS.ProcessEnv;
  label: string;
}

function bunCommand(): BunCommand {
  if (isCompiledBinary()) {
    // A compiled Bun executable acts as the bun CLI when BUN_BE_BUN is set.
    return { command: process.execPath, env: { ...process.env, BUN_BE_BUN: "1" }, label: "the bun inside lsky" };
  }
  const command = currentEngine() === "bun" ? process.execPath : findEngineBinary("bun");
  return { command, env: process.env, label: command };
}

function runBunBuild(bun: BunCommand, entryFile: string, outfile: string, library: string): void {
  const result = spawnSync(bun.command, ["-e", COMPILE_SCRIPT], {
    env: { ...bun.env, LSKY_COMPILE: JSON.stringify({ entry: entryFile, outfile, library }) },
    cwd: dirname(entryFile),
    encoding: "utf8",
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
    throw new LskyError("BUILD_FAILED", `Cannot compile: bun build failed${result.error ? `: ${result.error.message}` : ""}`, {
      hint: output.split("\n").slice(-8).join("\n") || undefined,
    });
  }
}
