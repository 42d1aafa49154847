// The npm package as a user gets it: `npm pack` (prepack builds dist/), then
// `npm install ./lsky-X.tgz` in a fresh project, then `npx lsky serve app.ts`
// on Node, `bunx --bun lsky` on Bun, `deno run -A npm:lsky` on Deno. The
// README's TypeScript examples type-check against the installed types under
// tsc --strict.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { ROOT, selectedTargets, type Target } from "./harness/targets.ts";

after(killAll);

const BIN = join(ROOT, "node_modules", ".bin");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };

/** How each engine runs the installed package's `lsky` command. */
const INSTALLED: Record<Target["engine"], Omit<Target, "name" | "engine">> = {
  node: { command: "npx", args: ["--no-install", "lsky"] },
  bun: { command: join(BIN, "bunx"), args: ["--bun", "lsky"] },
  deno: { command: join(BIN, "deno"), args: ["run", "-A", "--quiet", "npm:lsky"] },
};

const APP = `import { Hono } from "hono";
import type { Env } from "lsky";

const app = new Hono<{ Bindings: Env }>();
app.get("/", (c) => c.text(\`hello from \${c.env.remoteAddr.hostname} on worker \${c.env.bus.workerId}\`));
export default app;
`;

const TSCONFIG = {
  compilerOptions: {
    strict: true, target: "ES2022", module: "ESNext", moduleResolution: "bundler",
    lib: ["ES2023", "DOM", "DOM.Iterable"], types: [], noEmit: true,
  },
  include: ["*.ts"],
};

function run(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The README's ```ts blocks that name their file on the first line (// app.ts). */
function readmeExamples(): { file: string; code: string }[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  return [...readme.matchAll(/```ts\n\/\/ ([\w.-]+\.ts)[^\n]*\n([\s\S]*?)```/g)].map((m) => ({ file: m[1]!, code: m[2]! }));
}

describe("the npm package", { timeout: 300_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), "lsky-test-package-"));
  const project = join(work, "project");
  let files: string[] = [];

  before(() => {
    // prepack's build reports on stdout before npm's JSON.
    const packOutput = run("npm", ["pack", "--json", "--pack-destination", work], ROOT);
    const packed = JSON.parse(packOutput.slice(packOutput.indexOf("[\n"))) as
      { filename: string; files: { path: string }[] }[];
    files = packed[0]!.files.map((f) => f.path);
    run("mkdir", ["-p", project], work);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "fresh", private: true, type: "module" }));
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, packed[0]!.filename), "hono"], project);
    writeFileSync(join(project, "app.ts"), APP);
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(TSCONFIG));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  test("holds the built CLI, the library, the types, README and LICENSE; not the 100 MB binary", () => {
    for (const path of ["dist/lsky.mjs", "dist/lsky-worker.mjs", "dist/lsky-lib.mjs", "dist/lsky-app.mjs", "dist/types/types.d.ts", "README.md", "LICENSE", "CHANGELOG.md", "package.json"]) {
      assert.ok(files.includes(path), `${path} is in the package: ${files.join(", ")}`);
    }
    assert.ok(!files.includes("dist/lsky"), "the compiled executable stays out");
    assert.ok(!files.some((f) => f.startsWith("src/") || f.startsWith("test/")), "no sources or tests");
  });

  test('"lsky" imported from the installed package is the app-facing facade alone, not the CLI', () => {
    const names = run("node", ["--input-type=module", "-e", 'console.log(Object.keys(await import("lsky")).sort().join(" "))'], project);
    const exported = names.trim().split(" ");
    for (const name of ["LskyError", "cache", "defineConfig", "requestContext", "sockets", "table", "upgradeWebSocket"]) assert.ok(exported.includes(name), names);
    assert.ok(!exported.includes("main") && !exported.includes("setEmbeddedApp"), names);
  });

  test("what Node needs at run time to load a TypeScript app (esbuild) is a dependency", () => {
    assert.ok(PACKAGE.dependencies.esbuild, "esbuild in dependencies");
  });

  test("the README's TypeScript examples and an app using Env type-check under tsc --strict", () => {
    const examples = readmeExamples();
    assert.ok(examples.some((e) => /Bindings: Env/.test(e.code)), "the README shows new Hono<{ Bindings: Env }>()");
    for (const [i, example] of examples.entries()) writeFileSync(join(project, `readme-${i}-${example.file}`), example.code);
    run(join(BIN, "tsc"), ["-p", "."], project);
  });

  test("a wrong use of Env fails the type check (the types are not any)", () => {
    const wrong = join(project, "wrong.ts");
    writeFileSync(wrong, 'import type { Env } from "lsky";\nexport const port: string = ({} as Env).remoteAddr.port;\n');
    const result = spawnSync(join(BIN, "tsc"), ["-p", "."], { cwd: project, encoding: "utf8" });
    rmSync(wrong);
    assert.notEqual(result.status, 0, result.stdout);
    assert.match(result.stdout, /wrong\.ts.*Type 'number' is not assignable to type 'string'/);
  });

  for (const target of selectedTargets().filter((t) => t.name !== "binary")) {
    test(`serves an app with the installed package on ${target.engine}`, async () => {
      const installed: Target = { name: target.name, engine: target.engine, ...INSTALLED[target.engine] };
      const server = await startLsky(installed, ["app.ts", "--workers", "1", "--host", "127.0.0.1"], {
        cwd: project, env: { PATH: `${BIN}:${process.env.PATH}` },
      });
      try {
        assert.match(server.output(), new RegExp(`lsky ${PACKAGE.version.replace(/\./g, "\\.")} .*on ${target.engine} `));
        const response = await fetch(`${server.url}/`);
        assert.equal(response.status, 200);
        assert.equal(await response.text(), "hello from 127.0.0.1 on worker 1");
      } finally {
        // Stopped as a user would, by the same command (a signal to npx ends
        // npm at once, before lsky has drained).
        // Run without blocking this process: lsky stop waits for the server
        // (on Deno a child of this process) to exit, which needs reaping here.
        const stop = await runLsky(installed, ["stop"], { cwd: project, env: { PATH: `${BIN}:${process.env.PATH}` } });
        assert.equal(stop.code, 0, stop.stderr);
        assert.equal((await server.exited).code, 0, server.output());
      }
    });
  }
});
