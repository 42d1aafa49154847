import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { describeTargets } from "./harness/describe-targets.ts";
import { freePort } from "./harness/ports.ts";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture, ROOT, type Target } from "./harness/targets.ts";
import { openWebSocket } from "./harness/ws-client.ts";

after(killAll);

// `import ... from "lsky"` where the app's folder has no lsky installed: lsky
// serves its own app-facing facade (docs/COMPATIBILITY.md).

function folder(files: Record<string, string>, withHono = false): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-import-"));
  for (const [name, from] of Object.entries(files)) copyFileSync(from, join(dir, name));
  if (withHono) {
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(join(ROOT, "node_modules", "hono"), join(dir, "node_modules", "hono"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "chat", type: "module", dependencies: { hono: "*" } }));
  }
  return dir;
}

/** The plain fixture's names, requestContext, and a WebSocket counted by `sockets`. */
async function checkPlainApp(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/`);
  assert.equal(response.status, 200);
  const body = await response.json() as Record<string, unknown>;
  assert.equal(typeof body.request, "string", JSON.stringify(body));
  assert.deepEqual({ ...body, request: "id" }, { request: "id", defineConfig: "function", LskyError: "function" });
  const ws = await openWebSocket(port, "/ws");
  assert.equal(ws.status, 101, ws.body);
  assert.match(await ws.nextText(), /^open \S+$/);
  ws.sendText("hi");
  assert.equal(await ws.nextText(), "echo hi");
  assert.equal(await (await fetch(`http://127.0.0.1:${port}/count`)).text(), "1");
  ws.close();
}

async function stopped(server: LskyProcess): Promise<void> {
  assert.deepEqual(await server.stop(), { code: 0, signal: null });
}

describeTargets('"lsky" imported by an app that has none installed', (target) => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  test("no node_modules: upgradeWebSocket, sockets and requestContext work", async () => {
    const dir = folder({ "app.ts": fixture("lsky-import.ts") });
    dirs.push(dir);
    const server = await startLsky(target, ["app.ts", "-w", "1", "--host", "127.0.0.1", "--request-context"], { cwd: dir });
    assert.doesNotMatch(server.stderr(), /Cannot find package|not a dependency|Could not resolve/);
    await checkPlainApp(server.port);
    await stopped(server);
  });

  test("no node_modules, a JavaScript app (.mjs): \"lsky\" resolves as for TypeScript", async () => {
    const dir = folder({ "app.mjs": fixture("lsky-import.mjs") });
    dirs.push(dir);
    const server = await startLsky(target, ["app.mjs", "-w", "1", "--host", "127.0.0.1"], { cwd: dir });
    const response = await fetch(`http://127.0.0.1:${server.port}/`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "0 function");
    await stopped(server);
  });

  test("dist/lsky --runtime node: the Bun inside the binary bundles the facade in", { skip: target.name !== "binary" }, async () => {
    const dir = folder({ "app.ts": fixture("lsky-import.ts") });
    dirs.push(dir);
    const server = await startLsky(target, ["app.ts", "--runtime", "node", "-w", "1", "--host", "127.0.0.1", "--request-context"], { cwd: dir });
    await checkPlainApp(server.port);
    await stopped(server);
  });

  test("Deno, the app's own deno.json: its imports still apply, and \"lsky\" is added", { skip: target.name !== "deno" }, async () => {
    const dir = folder({});
    dirs.push(dir);
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "lib", "greeting.ts"), 'export const greeting = "hello";\n');
    writeFileSync(join(dir, "deno.json"), '{ "imports": { "#lib/": "./lib/" } }\n');
    writeFileSync(join(dir, "app.ts"), 'import { greeting } from "#lib/greeting.ts";\nimport { sockets } from "lsky";\n' +
      "export default { fetch: async () => new Response(`${greeting} ${await sockets.count()}`) };\n");
    const server = await startLsky(target, ["app.ts", "-w", "1", "--host", "127.0.0.1"], { cwd: dir });
    assert.equal(await (await fetch(`http://127.0.0.1:${server.port}/`)).text(), "hello 0");
    await stopped(server);
  });

  test("node_modules with hono only: a Hono app's upgradeWebSocket and sockets share the pool", async () => {
    const dir = folder({ "app.ts": fixture("ws-hono.ts") }, true);
    dirs.push(dir);
    const server = await startLsky(target, ["app.ts", "-w", "1", "--host", "127.0.0.1"], { cwd: dir });
    const [a, b] = [await openWebSocket(server.port, "/chat?token=secret&name=a"), await openWebSocket(server.port, "/chat?token=secret&name=b")];
    assert.equal(a.status, 101, a.body);
    assert.equal(b.status, 101, b.body);
    assert.match(await a.nextText(), /"id"/);
    assert.match(await b.nextText(), /"id"/);
    a.sendText("hello");
    assert.equal(await b.nextText(), "a: hello");
    const announced = await fetch(`http://127.0.0.1:${server.port}/announce`, { method: "POST", body: "news" });
    assert.deepEqual(await announced.json(), { subscribers: 2 });
    assert.equal(await a.nextText(), "server: news");
    a.close();
    b.close();
    await stopped(server);
  });

  test("lsky.config.ts imports defineConfig from \"lsky\", and its app imports \"lsky\" too", async () => {
    const dir = folder({ "main.ts": fixture("lsky-import.ts") });
    dirs.push(dir);
    const port = await freePort();
    writeFileSync(join(dir, "lsky.config.ts"), 'import { defineConfig } from "lsky";\n' +
      `export default defineConfig({ entry: "main.ts", port: ${port}, workers: 1, host: "127.0.0.1", requestContext: true });\n`);
    const server = await startLsky(target, [], { cwd: dir, port: false });
    await checkPlainApp(port);
    await stopped(server);
  });

  test("lsky compile: the executable holds the app, and \"lsky\" is the server's own library", async () => {
    const dir = folder({ "app.ts": fixture("lsky-import.ts") });
    dirs.push(dir);
    const built = await runLsky(target, ["compile", "app.ts", "-o", "myapp"], { cwd: dir }, 180_000);
    assert.equal(built.code, 0, built.stderr);
    rmSync(join(dir, "app.ts"));
    const executable: Target = { name: "binary", engine: "bun", command: join(dir, "myapp"), args: [] };
    const server = await startLsky(executable, ["-w", "1", "--host", "127.0.0.1", "--request-context"], { cwd: dir, command: [] });
    await checkPlainApp(server.port);
    await stopped(server);
    rmSync(join(dir, "myapp"));
  });
});
