// JavaScript and TypeScript entries load on every engine: a plain .js app, a
// Hono app in TypeScript importing a package and a relative module, and a
// TypeScript app whose node_modules cannot be written (Node then bundles it
// whole into a temporary directory).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { FIXTURES, fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { childrenOf } from "./harness/supervision.ts";

after(killAll);

const ONE_WORKER = ["--workers", "1", "--host", "127.0.0.1"];

/** An app in a fresh directory whose `node_modules` is a file, so nothing can be written under it. */
function appWithUnwritableNodeModules(): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-test-app-"));
  writeFileSync(join(dir, "node_modules"), "not a directory\n");
  writeFileSync(join(dir, "app.ts"), `
    const answer: number = 42;
    export default { fetch: (_request: Request): Response => new Response(\`typed answer \${answer}\`) };
  `);
  return dir;
}

/** A directory outside any package (no package.json above it) with an ES module .js app and a CommonJS .cjs app. */
function appsOutsideAPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-test-js-"));
  writeFileSync(join(dir, "esm.js"), 'export default { fetch: () => new Response("esm without package.json") };\n');
  writeFileSync(join(dir, "common.cjs"), 'module.exports = { fetch: () => new Response("commonjs") };\n');
  return dir;
}

describeTargets("app loading", (target) => {
  test("serves a JavaScript entry", async () => {
    const server = await startLsky(target, [fixture("hello.js"), ...ONE_WORKER]);
    try {
      assert.match(server.stdout(), /serving .*hello\.js at /);
      const response = await fetch(`${server.url}/js`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), "hello from js /js");
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("serves a TypeScript Hono app that imports a package and a relative module", async () => {
    const server = await startLsky(target, [fixture("hono-app.ts"), ...ONE_WORKER]);
    try {
      assert.equal(await (await fetch(`${server.url}/hi/ada`)).text(), "hello ada from hono");
      assert.deepEqual(await (await fetch(`${server.url}/client`)).json(), { client: "127.0.0.1" });
      assert.equal((await fetch(`${server.url}/missing`)).status, 404);
      // On Node the supervisor bundles the app once for every worker; nobody
      // keeps esbuild's service process (about 12 MB) running after.
      const workers = childrenOf(server.pid).map((child) => child.pid);
      const esbuild = [server.pid, ...workers].flatMap((pid) => childrenOf(pid)).filter((child) => child.name === "esbuild");
      assert.deepEqual(esbuild, []);
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("import.meta describes each module's own file, so an app reads files beside it", async () => {
    const server = await startLsky(target, [fixture("own-files.ts"), ...ONE_WORKER]);
    try {
      const seen = await (await fetch(`${server.url}/`)).json();
      assert.deepEqual(seen, {
        entry: pathToFileURL(fixture("own-files.ts")).href,
        dirname: FIXTURES,
        imported: pathToFileURL(fixture("lib/where.ts")).href,
        readsSibling: true,
      });
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  for (const [file, answer] of [["esm.js", "esm without package.json"], ["common.cjs", "commonjs"]]) {
    test(`serves ${file === "esm.js" ? "an ES module .js" : "a CommonJS .cjs"} entry outside any package`, async () => {
      const dir = appsOutsideAPackage();
      try {
        const server = await startLsky(target, [join(dir, file!), ...ONE_WORKER], { cwd: dir });
        try {
          assert.equal(await (await fetch(`${server.url}/`)).text(), answer);
        } finally {
          assert.equal((await server.stop()).code, 0);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test("serves a TypeScript app whose node_modules cannot be written", async () => {
    const dir = appWithUnwritableNodeModules();
    try {
      const server = await startLsky(target, [join(dir, "app.ts"), ...ONE_WORKER]);
      try {
        assert.equal(await (await fetch(`${server.url}/`)).text(), "typed answer 42");
      } finally {
        assert.equal((await server.stop()).code, 0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
