// Runs node's test runner over TypeScript test files found under the given
// folders (Node 20's --test takes no globs). Usage: node scripts/run-tests.mjs DIR... [-- node-test-flags]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const split = process.argv.indexOf("--");
const dirs = process.argv.slice(2, split === -1 ? undefined : split);
const extra = split === -1 ? [] : process.argv.slice(split + 1);
const only = process.env.LSKY_TEST_FILES?.split(",").filter(Boolean);

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name.startsWith("_") ? [] : find(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const files = dirs.flatMap(find).filter((f) => !only || only.some((o) => f.includes(o))).sort();
if (files.length === 0) {
  console.error(`no test files under ${dirs.join(", ")}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", ...extra, ...files], { stdio: "inherit" });
process.exit(result.status ?? 1);
