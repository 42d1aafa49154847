// Runtime files: lsky refuses a runtime directory another user could write,
// never runs code planted where it caches code, refuses a second server in a
// directory whose server is alive, and cleans up after one that was killed.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { after, test } from "node:test";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { ROOT, fixture, type Target } from "./harness/targets.ts";
import { processGone, waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const scratch = mkdtempSync(join(tmpdir(), "lsky-runtime-files-"));
after(() => rmSync(scratch, { recursive: true, force: true }));
const uid = process.getuid!();
const isRoot = uid === 0;

/** A runtime base whose lsky-<uid> is prepared by `prepare`; the env that points lsky at it. */
function runtimeBase(prepare: (dir: string) => void): { dir: string; env: Record<string, string> } {
  const base = mkdtempSync(join(scratch, "run-"));
  const dir = join(base, `lsky-${uid}`);
  prepare(dir);
  return { dir, env: { LSKY_RUNTIME_DIR: base } };
}

function plantedCode(marker: string, body: string): string {
  return `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(marker)}, "ran");\n` +
    `export default { fetch: () => new Response(${JSON.stringify(body)}) };\n`;
}

/** Starts `serve` expecting it to fail: its exit, or "started" if it served instead. */
async function serveOutcome(target: Target, args: string[], options: { cwd?: string; env?: Record<string, string> }) {
  const server = await startLsky(target, args, { ...options, waitReady: false });
  const outcome = await Promise.race([
    server.exited,
    server.waitForOutput(/serving .* at http/, 60_000).then(() => "started" as const, () => server.exited),
  ]);
  if (outcome === "started") await server.stop();
  return { outcome, server };
}

const UNSAFE: Array<{ name: string; prepare: (dir: string) => void; reason: RegExp; needsRoot?: boolean }> = [
  { name: "open to everyone (0777)", prepare: (d) => (mkdirSync(d), chmodSync(d, 0o777)), reason: /its mode is 0777, open to other users/ },
  { name: "readable by its group (0750)", prepare: (d) => (mkdirSync(d), chmodSync(d, 0o750)), reason: /its mode is 0750/ },
  {
    name: "owned by another user", needsRoot: true, reason: /belongs to uid 65534/,
    prepare: (d) => (mkdirSync(d, { mode: 0o700 }), chownSync(d, 65534, 65534)),
  },
  {
    name: "a symbolic link", reason: /it is a symbolic link/,
    prepare: (d) => (mkdirSync(`${d}-real`, { mode: 0o700 }), symlinkSync(`${d}-real`, d)),
  },
];

describeTargets("runtime files", (target) => {
  for (const unsafe of UNSAFE) {
    test(`serve refuses a runtime directory ${unsafe.name} with one line and exit 1`, { skip: unsafe.needsRoot && !isRoot && "needs root to chown" }, async () => {
      const { dir, env } = runtimeBase(unsafe.prepare);
      const { outcome, server } = await serveOutcome(target, [fixture("echo.ts"), "--workers", "1"], { env, cwd: scratch });
      assert.deepEqual(outcome, { code: 1, signal: null }, server.output());
      const lines = server.stderr().trim().split("\n");
      assert.equal(lines.length, 2, server.stderr());
      assert.match(lines[0]!, new RegExp(`error: Refusing to use "${dir}": `));
      assert.match(lines[0]!, unsafe.reason);
      assert.match(lines[1]!, /LSKY_RUNTIME_DIR/);
      assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith(".sock")), [], "a socket was created there");
    });
  }

  test("a second server in the same directory is refused while the first is alive; lsky stop stops the first", async () => {
    const { env } = runtimeBase(() => {});
    const cwd = mkdtempSync(join(scratch, "app-"));
    const first = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1"], { cwd, env });
    try {
      const { outcome, server: second } = await serveOutcome(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1", "--port", String(await freePort())], { cwd, env });
      assert.deepEqual(outcome, { code: 1, signal: null }, second.output());
      assert.match(second.stderr(), new RegExp(`another lsky server \\(pid ${first.pid}, port ${first.port}\\) is running in this directory`));
      assert.equal(second.stderr().trim().split("\n").length, 2, second.stderr());

      const status = await runLsky(target, ["status", "--json"], { cwd, env });
      assert.equal(status.code, 0, status.stderr);
      assert.equal(JSON.parse(status.stdout).pid, first.pid);
      const stop = await runLsky(target, ["stop"], { cwd, env });
      assert.equal(stop.code, 0, stop.stderr);
      assert.deepEqual(await first.exited, { code: 0, signal: null });
    } finally {
      await first.stop();
    }
  });

  test("a live server on the same port number elsewhere keeps its port socket; this one starts and warns", async () => {
    // Another network namespace or address shares the runtime directory and the port number.
    const { dir, env } = runtimeBase((d) => mkdirSync(d, { mode: 0o700 }));
    const port = await freePort();
    const portSocket = join(dir, `port-${port}.sock`);
    const peers = new Set<import("node:net").Socket>();
    const other = createServer((socket) => {
      peers.add(socket);
      socket.on("error", () => {}).on("close", () => peers.delete(socket));
      socket.end(`${JSON.stringify({ ok: true, data: { pid: 999999, port, host: "0.0.0.0" } })}\n`);
    });
    await new Promise<void>((resolve) => other.listen(portSocket, resolve));
    const cwd = mkdtempSync(join(scratch, "app-"));
    const server = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1"], { cwd, env, port });
    try {
      await server.waitForOutput(new RegExp(`another lsky server \\(pid 999999, port ${port}\\) answers the control socket`));
      const status = await runLsky(target, ["status", "--json"], { cwd, env });
      assert.equal(status.code, 0, status.stderr);
      assert.equal(JSON.parse(status.stdout).pid, server.pid);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
      assert.ok(existsSync(portSocket), "the other server's socket was removed");
    } finally {
      await server.stop();
      for (const peer of peers) peer.destroy();
      await new Promise((resolve) => other.close(resolve));
    }
  });

  test("the sockets of a server killed with SIGKILL are cleaned up and a new server starts", async () => {
    const { dir, env } = runtimeBase(() => {});
    const cwd = mkdtempSync(join(scratch, "app-"));
    const first = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1"], { cwd, env });
    const sockets = readdirSync(dir).filter((f) => f.startsWith("dir-"));
    assert.equal(sockets.length, 1);
    // The whole group (supervisor and workers) dies at once and removes nothing.
    process.kill(-first.pid, "SIGKILL");
    await first.exited;
    await waitFor("the killed server's processes to be gone", () => processGone(first.pid));
    assert.ok(existsSync(join(dir, sockets[0]!)), "the killed server's socket is there");

    // Its bus and port sockets are left too; made older than the minute a refused socket is given.
    const leftovers = readdirSync(dir).filter((f) => /^(bus|port)-\d+\.sock$/.test(f));
    assert.deepEqual(leftovers.map((f) => f.split("-")[0]).sort(), ["bus", "port"]);
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const name of leftovers) utimesSync(join(dir, name), hourAgo, hourAgo);

    let second: LskyProcess | undefined;
    try {
      second = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1"], { cwd, env });
      const status = await runLsky(target, ["status", "--json"], { cwd, env });
      assert.equal(status.code, 0, status.stderr);
      assert.equal(JSON.parse(status.stdout).pid, second.pid);
      await second.waitForOutput(new RegExp(`removed 2 sockets left in ${dir} by servers that were killed`), 30_000);
      assert.deepEqual(leftovers.filter((name) => existsSync(join(dir, name))), [], "a leftover socket is still there");
      assert.ok(existsSync(join(dir, `bus-${second.pid}.sock`)), "the running server's bus socket was removed");
      const stop = await runLsky(target, ["stop"], { cwd, env });
      assert.equal(stop.code, 0, stop.stderr);
      assert.deepEqual(await second.exited, { code: 0, signal: null });
    } finally {
      await second?.stop();
    }
  });

  if (target.name === "binary") {
    const bundle = readFileSync(join(ROOT, "dist", "lsky.mjs"));
    const hash = createHash("sha256").update(bundle).digest("hex");
    const extracted = `lsky-${hash.slice(0, 16)}.mjs`;
    // Planted under the name older versions used too (12 hex digits).
    const plant = (d: string, marker: string) => {
      for (const name of [extracted, `lsky-${hash.slice(0, 12)}.mjs`]) writeFileSync(join(d, name), plantedCode(marker, "planted"));
    };

    test("the embedded bundle is never run from another user's runtime directory", { skip: !isRoot && "needs root to chown" }, async () => {
      const marker = join(scratch, `marker-${Date.now()}`);
      const { env } = runtimeBase((d) => {
        mkdirSync(d, { mode: 0o755 });
        plant(d, marker);
        for (const name of readdirSync(d)) chownSync(join(d, name), 65534, 65534);
        chownSync(d, 65534, 65534);
      });
      const { outcome, server } = await serveOutcome(target, ["--runtime", "node", "--workers", "1"], { env, cwd: scratch });
      assert.deepEqual(outcome, { code: 1, signal: null }, server.output());
      assert.match(server.stderr(), /Refusing to use .*belongs to uid 65534/);
      assert.equal(existsSync(marker), false, "the planted bundle ran");
    });

    test("a planted file under the embedded bundle's name is replaced, never run", async () => {
      const marker = join(scratch, `marker-${Date.now()}`);
      const { dir, env } = runtimeBase((d) => {
        mkdirSync(d, { mode: 0o700 });
        plant(d, marker);
      });
      const server = await startLsky(target, ["--runtime", "node", "--workers", "1", "--host", "127.0.0.1"], { env, cwd: scratch });
      try {
        const response = await fetch(server.url);
        assert.equal(response.status, 200);
        assert.doesNotMatch(await response.text(), /planted/);
        assert.equal(existsSync(marker), false, "the planted bundle ran");
        assert.deepEqual(readFileSync(join(dir, extracted)), bundle);
      } finally {
        assert.deepEqual(await server.stop(), { code: 0, signal: null });
      }
    });
  }

  if (target.engine === "node" || target.name === "binary") {
    test("a Node bundle cache directory others could write is refused with one line and exit 1", async () => {
      const appDir = mkdtempSync(join(scratch, "with-modules-"));
      const cacheDir = join(appDir, "node_modules", ".cache", "lsky", String(uid));
      mkdirSync(cacheDir, { recursive: true });
      chmodSync(cacheDir, 0o777);
      writeFileSync(join(appDir, "app.ts"), 'const text: string = "real app";\nexport default { fetch: () => new Response(text) };\n');
      const { env } = runtimeBase(() => {});
      const { outcome, server } = await serveOutcome(target, [join(appDir, "app.ts"), "--runtime", "node", "--workers", "1"], { env, cwd: appDir });
      assert.deepEqual(outcome, { code: 1, signal: null }, server.output());
      assert.match(server.stderr(), new RegExp(`Refusing to use "${cacheDir}": its mode is 0777`));
      assert.deepEqual(readdirSync(cacheDir), [], "a bundle was written there");
    });

    test("a TypeScript app bundled for Node is never run from a planted cache file", async () => {
      const appDir = mkdtempSync(join(scratch, "no-modules-"));
      writeFileSync(join(appDir, "app.ts"), 'const text: string = "real app";\nexport default { fetch: () => new Response(text) };\n');
      const cache = mkdtempSync(join(scratch, "cache-"));
      // Old lsky cached the bundle of an app without node_modules under the temp directory.
      const env = { ...runtimeBase(() => {}).env, XDG_CACHE_HOME: cache, TMPDIR: cache };
      const args = [join(appDir, "app.ts"), "--runtime", "node", "--workers", "1", "--host", "127.0.0.1"];
      const marker = join(scratch, `marker-${Date.now()}`);
      const first = await startLsky(target, args, { env, cwd: appDir });
      assert.equal(await (await fetch(first.url)).text(), "real app");
      assert.deepEqual(await first.stop(), { code: 0, signal: null });
      const bundles = findFiles(cache, /^app-.*\.mjs$/);
      assert.ok(bundles.length > 0, "no cached bundle was written");
      for (const file of bundles) writeFileSync(file, plantedCode(marker, "planted"));

      const second = await startLsky(target, args, { env, cwd: appDir });
      try {
        assert.equal(await (await fetch(second.url)).text(), "real app");
        assert.equal(existsSync(marker), false, "the planted cache file ran");
      } finally {
        assert.deepEqual(await second.stop(), { code: 0, signal: null });
      }
    });
  }
});

function findFiles(dir: string, name: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && name.test(entry.name))
    .map((entry) => join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name));
}
