import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { processGone, waitFor } from "./harness/wait.ts";
import { childrenOf } from "./harness/supervision.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

function appSource(text: string): string {
  return `export default { fetch: () => new Response(${JSON.stringify(text)}) };\n`;
}

async function body(url: string): Promise<string> {
  const response = await fetch(url);
  return response.status === 200 ? await response.text() : `status ${response.status}`;
}

function countMatches(text: string, pattern: RegExp): number {
  return (text.match(pattern) ?? []).length;
}

/** The app answers with its text and the pid of the worker that ran it. */
function pidAppSource(text: string): string {
  return `export default { fetch: () => new Response(${JSON.stringify(text)} + " " + process.pid) };\n`;
}

/** The supervisor's live lsky children (esbuild's service, kept warm on Node, is not one). */
function lskyChildren(supervisor: number): number[] {
  return childrenOf(supervisor).filter((c) => c.state !== "Z" && c.name !== "esbuild").map((c) => c.pid);
}

describeTargets("--watch", (target) => {
  test("a save is served by a worker booted before it; a spare killed meanwhile only makes a slower reload; stop kills the spare", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-watch-spare-"));
    const app = join(dir, "app.ts");
    try {
      writeFileSync(app, pidAppSource("one"));
      const server = await startLsky(target, [app, "--watch", "--workers", "1", "--host", "127.0.0.1"]);
      await server.waitForOutput(/watching .* for changes/);
      const first = Number((await body(server.url)).split(" ")[1]);
      const spare = await waitFor("a spare worker beside the serving one", () => lskyChildren(server.pid).find((pid) => pid !== first));

      writeFileSync(app, pidAppSource("two"));
      await server.waitForOutput(/reload finished in \d+ ms/);
      assert.equal(await body(server.url), `two ${spare}`);
      assert.ok(processGone(first), "the replaced worker exited");

      // The next spare boots once the new worker serves; killed unused, the
      // next save starts a worker the usual way.
      const next = await waitFor("the next spare", () => lskyChildren(server.pid).find((pid) => pid !== spare));
      process.kill(next, "SIGKILL");
      await waitFor("the killed spare to be gone", () => !lskyChildren(server.pid).includes(next) || undefined);
      writeFileSync(app, pidAppSource("three"));
      await waitFor("the second reload", () => countMatches(server.output(), /reload finished in \d+ ms/g) === 2 || undefined);
      const [text, third] = (await body(server.url)).split(" ");
      assert.equal(text, "three");
      assert.ok(![first, spare, next].includes(Number(third)), `served by ${third}`);
      assert.doesNotMatch(server.output(), /crash|exited unexpectedly|boot failed/i);

      const last = await waitFor("a spare after the second reload", () => lskyChildren(server.pid).find((pid) => pid !== Number(third)));
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
      await waitFor("the spare to be gone", () => processGone(last) || undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("reloads on a source change, debounced, ignoring node_modules, .git, dist, .gitignore'd and --watch-ignore'd folders", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-watch-"));
    try {
      for (const ignored of ["node_modules", ".git", "dist", "generated", "scratch"]) mkdirSync(join(dir, ignored));
      mkdirSync(join(dir, "lib"));
      writeFileSync(join(dir, ".gitignore"), "generated/\n");
      writeFileSync(join(dir, "app.ts"), appSource("one"));
      const server = await startLsky(target, [join(dir, "app.ts"), "--watch", "--watch-ignore", "scratch/", "--workers", "2", "--host", "127.0.0.1"]);
      await server.waitForOutput(/watching .* for changes \((events|polling), \d+ director/);
      assert.equal(await body(server.url), "one");

      // Changes in ignored folders first, then a burst of real changes: one reload.
      for (const ignored of ["node_modules", ".git", "dist", "generated", "scratch"]) writeFileSync(join(dir, ignored, "x.ts"), "export {};\n");
      writeFileSync(join(dir, "lib", "helper.ts"), "export const x = 1;\n");
      writeFileSync(join(dir, "app.ts"), appSource("two"));
      await server.waitForOutput(/reload finished in \d+ ms/);
      // The reload resolves once the old workers exited: from now on only new code answers.
      for (let i = 0; i < 10; i++) assert.equal(await body(server.url), "two");
      const changes = server.output().match(/\S+ changed: reloading/g) ?? [];
      assert.equal(changes.length, 1, server.output());
      assert.doesNotMatch(changes[0]!, /node_modules|\.git|dist|generated|scratch/);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("its own output redirected into the app's folder, a database file and uploads never reload", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lsky-watch-own-"));
    const log = join(dir, "out.log");
    const readLog = () => readFileSync(log, "utf8");
    try {
      mkdirSync(join(dir, "uploads"));
      writeFileSync(join(dir, "app.ts"), appSource("one"));
      // `lsky serve app.ts --watch > out.log`: every reload writes log lines
      // into the watched folder, which must not count as a change.
      const server = await startLsky(target, [join(dir, "app.ts"), "--watch", "--workers", "1", "--host", "127.0.0.1"], {
        prefix: ["sh", "-c", 'exec "$0" "$@" > "$LSKY_TEST_LOG" 2>&1'],
        env: { LSKY_TEST_LOG: log },
        waitReady: false,
      });
      await waitFor("the watcher to start", () => /watching .* for changes/.test(readLog()) || undefined, 30_000);
      await waitFor("the app to answer", async () => (await body(server.url).catch(() => "")) === "one" || undefined);
      for (let i = 0; i < 5; i++) {
        writeFileSync(join(dir, "app.sqlite"), `row ${i}\n`);
        writeFileSync(join(dir, "uploads", `photo-${i}.png`), "png");
      }
      // Two deliberate changes, each awaited through its log line: a reload
      // caused by anything else (the log written by the first reload, the
      // data files) would show as a third.
      for (const [n, text] of [[1, "two"], [2, "three"]] as const) {
        writeFileSync(join(dir, "app.ts"), appSource(text));
        await waitFor(`reload ${n} to finish`, () => countMatches(readLog(), /reload finished in \d+ ms/g) >= n || undefined);
        assert.equal(await body(server.url), text);
      }
      assert.equal(countMatches(readLog(), /changed: reloading/g), 2, readLog());
      assert.match(readLog(), /app\.ts changed: reloading/);
      assert.doesNotMatch(readLog(), /(out\.log|app\.sqlite|photo-\d\.png) changed/);
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
