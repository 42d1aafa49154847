// Checks the module picture of src/: no import cycle between files, and no
// import that goes up the layering documented in docs/MODULES.md.
// Reads the files as text (static, type-only and dynamic imports alike: a
// type-only cycle still ties two modules together). Exits 1 and lists every
// offence; `--graph` prints the edges between layering units instead.
// Usage: node scripts/check-imports.mjs [--graph]
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(root, "src");

// The layering, lowest first (docs/MODULES.md explains it). A module may
// import from its own layer and any layer below, never from a layer above.
// A unit is a folder of src/ ("." for the files directly in src/), except the
// runtime files named in FILE_UNITS, which sit lower than their folder.
export const LAYERS = [
  [".", "net", "runtime-base"],
  ["config", "transpile"],
  ["bus", "websocket", "metrics", "http", "limits", "scheduler", "tasks", "store", "cluster", "runtime-contract"],
  ["runtime"],
  ["app"],
  ["worker"],
  ["supervisor", "dashboard"],
  ["cli"],
];

// src/runtime/ spans three layers: engine detection and the stdout writer,
// which everything may use; the contract the features and adapters share;
// the adapters themselves.
export const FILE_UNITS = {
  "runtime/detect.ts": "runtime-base",
  "runtime/initial-env.ts": "runtime-base",
  "runtime/std-output.ts": "runtime-base",
  "runtime/types.ts": "runtime-contract",
};

// Files the layering does not judge: lib.ts, types.ts and app-facade.ts are
// the package's public entry points, which re-export from every layer on purpose.
const ENTRY_POINTS = new Set(["lib.ts", "types.ts", "app-facade.ts"]);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

const STATIC = /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?(?:\{[^}]*\}|\*(?:\s+as\s+[\w$]+)?|[\w$]+)\s*from\s*["']([^"']+)["']/gm;
const BARE = /^\s*import\s*["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The relative specifiers a file imports, resolved to absolute paths. */
export function importsOf(file, text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const specs = [STATIC, BARE, DYNAMIC].flatMap((re) => [...code.matchAll(re)].map((m) => m[1]));
  return [...new Set(specs.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s)))];
}

function unitOf(file) {
  const path = relative(srcDir, file);
  if (FILE_UNITS[path]) return FILE_UNITS[path];
  return path.includes("/") ? path.split("/")[0] : ".";
}

function layerOf(folder) {
  const index = LAYERS.findIndex((layer) => layer.includes(folder));
  if (index === -1) throw new Error(`"src/${folder}" has no layer in scripts/check-imports.mjs`);
  return index;
}

/** Every elementary cycle's smallest witness: one cycle per strongly connected component. */
export function findCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) components.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

function main() {
  const files = sourceFiles(srcDir);
  const graph = new Map();
  const problems = [];
  const folderEdges = new Set();
  for (const file of files) {
    const targets = importsOf(file, readFileSync(file, "utf8")).filter((t) => t.startsWith(root));
    graph.set(file, targets.filter((t) => t.startsWith(srcDir + "/")));
    const name = relative(root, file);
    for (const target of targets) {
      if (!target.startsWith(srcDir + "/")) {
        problems.push(`${name} imports ${relative(root, target)}, outside src/`);
        continue;
      }
      if (ENTRY_POINTS.has(relative(srcDir, file))) continue;
      const from = unitOf(file);
      const to = unitOf(target);
      if (from === to) continue;
      folderEdges.add(`${from} -> ${to}`);
      if (layerOf(from) < layerOf(to)) problems.push(`${name} imports ${relative(root, target)}: "${from}" is below "${to}"`);
    }
  }
  if (process.argv.includes("--graph")) {
    console.log([...folderEdges].sort().join("\n"));
    return;
  }
  for (const cycle of findCycles(graph)) {
    problems.push(`import cycle among: ${cycle.map((f) => relative(root, f)).join(", ")}`);
  }
  if (problems.length === 0) {
    console.log(`check-imports: ${files.length} modules, no cycles, layering kept`);
    return;
  }
  for (const problem of problems) console.error(problem);
  console.error(`check-imports: ${problems.length} problem(s); the layering is in docs/MODULES.md`);
  process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
