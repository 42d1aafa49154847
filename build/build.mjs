// Builds dist/: lsky.mjs (Node and Deno), lsky-worker.mjs (what their
// workers run: no commands, supervisor or Redis client), lsky-lib.mjs (linked into `lsky
// compile` output), lsky-app.mjs (the app-facing facade lsky serves as
// "lsky" where the app has none installed; its text is built into the other
// bundles and the binary), types/ (the declarations the package exports to apps) and
// lsky (one self-contained executable, bun --compile).
// Usage: node build/build.mjs [--no-binary]
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { writeAssetModule } from "./dashboard-assets.mjs";
import { lazyBuiltins } from "./lazy-builtins.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const skipBinary = process.argv.includes("--no-binary");

// Bundled CommonJS dependencies call require(); ESM output needs one.
const requireShim = 'import { createRequire as __lskyCreateRequire } from "node:module"; const require = __lskyCreateRequire(import.meta.url);';

// The bundles engines run, without whitespace. Identifiers are kept, so stack traces still
// name every function (the binary is built the same way). An idle Node worker holds 7 MB less
// with it, Node reading the whole text before it runs: docs/BENCHMARKS.md, "Memory of an idle server".
const LEAN = { minifyWhitespace: true, minifySyntax: true };

async function bundle(entry, outfile, shebang, define = {}, extra = {}) {
  const started = Date.now();
  await esbuild.build({
    ...extra,
    entryPoints: [join(root, entry)],
    outfile: join(dist, outfile),
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: ["esbuild"],
    define,
    banner: { js: `${shebang ? "#!/usr/bin/env node\n" : ""}${requireShim}` },
    plugins: [lazyBuiltins],
    logLevel: "warning",
  });
  report(outfile, started);
}

async function bundleFacade() {
  const started = Date.now();
  await esbuild.build({
    entryPoints: [join(root, "src", "app-facade.ts")],
    outfile: join(dist, "lsky-app.mjs"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    logLevel: "warning",
  });
  report("lsky-app.mjs", started);
}

function compileBinary() {
  const started = Date.now();
  const bun = join(root, "node_modules", ".bin", "bun");
  const result = spawnSync(bun, [
    "build", "--compile", join(root, "build", "binary-entry.ts"),
    // The two programs binary-entry.ts chooses between, each with bytecode of its own.
    join(root, "build", "binary-cli.ts"), join(root, "build", "binary-worker.ts"),
    "--outfile", join(dist, "lsky"), "--external", "esbuild",
    // lsky loads .env itself, with its own precedence (src/config/dotenv.ts).
    "--no-compile-autoload-dotenv",
    // Without it a compiled executable resolves no package from disk, so an
    // app that imports "hono" from its own node_modules would not load.
    "--compile-autoload-package-json",
    // Start-up: the executable starts twice before the first response (the
    // supervisor, then each worker), and parsing the bundle was most of each
    // start. Precompiled bytecode and a smaller text cut the time to the first
    // response about threefold (docs/BENCHMARKS.md, "Start to first response").
    // Identifiers are kept so stack traces stay readable.
    "--bytecode", "--minify-syntax", "--minify-whitespace",
  ], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "");
    throw new Error(`bun build --compile failed with status ${result.status}`);
  }
  report("lsky", started);
}

/** dist/types/types.d.ts and what it imports, from src/types.ts. */
function emitTypes() {
  const started = Date.now();
  rmSync(join(dist, "types"), { recursive: true, force: true });
  const tsc = join(root, "node_modules", ".bin", "tsc");
  const result = spawnSync(tsc, ["-p", join(root, "build", "tsconfig.types.json")], { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`tsc (declarations) failed with status ${result.status}`);
  report("types/types.d.ts", started);
}

function report(file, started) {
  const size = (statSync(join(dist, file)).size / 1_048_576).toFixed(1);
  process.stdout.write(`built dist/${file} (${size} MB) in ${Date.now() - started} ms\n`);
}

mkdirSync(dist, { recursive: true });
writeAssetModule();
// The facade needs no require(): plain esbuild output, no banner.
await bundleFacade();
const withFacade = { LSKY_APP_FACADE: JSON.stringify(readFileSync(join(dist, "lsky-app.mjs"), "utf8")) };
await bundle("src/cli/main.ts", "lsky.mjs", true, withFacade, LEAN);
chmodSync(join(dist, "lsky.mjs"), 0o755);
// Workers and custom processes start from this smaller bundle (runtime/launch.ts, roleScript).
await bundle("src/worker/entry.ts", "lsky-worker.mjs", false, withFacade, LEAN);
await bundle("src/lib.ts", "lsky-lib.mjs", false, withFacade);
emitTypes();
if (!skipBinary) compileBinary();
