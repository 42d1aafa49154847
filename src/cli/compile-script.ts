/**
 * The script `lsky compile` runs with Bun (`bun -e SCRIPT`, or the Bun inside
 * dist/lsky with BUN_BE_BUN=1): `bun build --compile` through Bun.build, so
 * that a plugin can answer the app's `import ... from "lsky"` where the app's
 * folder has no lsky installed. It resolves to the library the entry links
 * (LSKY_COMPILE.library), so the app and the server inside the executable
 * share one copy. An installed lsky is left to Bun's own resolution.
 * Arguments come in LSKY_COMPILE as JSON: { entry, outfile, library }.
 */
export const COMPILE_SCRIPT = `
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
const { entry, outfile, library } = JSON.parse(process.env.LSKY_COMPILE);
function installedFrom(dir) {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, "node_modules", "lsky", "package.json"))) return true;
    if (dirname(at) === at) return false;
  }
}
const lsky = {
  name: "lsky-import",
  setup(build) {
    build.onResolve({ filter: /^lsky$/ }, (args) => installedFrom(dirname(args.importer)) ? undefined : { path: library });
  },
};
const result = await Bun.build({
  entrypoints: [entry],
  external: ["esbuild"],
  plugins: [lsky],
  // lsky loads .env itself (src/config/dotenv.ts); without package.json
  // autoloading the executable resolves no package (hono, ...) that an app
  // loaded from disk imports from its own node_modules.
  compile: { outfile, autoloadDotenv: false, autoloadPackageJson: true },
});
if (!result.success) {
  console.error(result.logs.map(String).join("\\n"));
  process.exit(1);
}
`;
