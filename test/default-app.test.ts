// `lsky serve` with no entry serves the built-in app: a welcome page with the
// version, engine, process id and uptime, and GET /healthz.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { ROOT } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

describeTargets("default app", (target) => {
  let server: LskyProcess;
  // An empty directory: no app, no config file to pick up.
  const cwd = mkdtempSync(join(tmpdir(), "lsky-test-empty-"));
  before(async () => {
    server = await startLsky(target, ["--workers", "1", "--host", "127.0.0.1"], { cwd });
  });
  after(async () => {
    assert.equal((await server.stop()).code, 0);
    rmSync(cwd, { recursive: true, force: true });
  });

  test("says it serves the built-in app", () => {
    assert.match(server.stdout(), new RegExp(`lsky ${VERSION.replace(/\./g, "\\.")} serving \\(built-in app\\) at ${server.url} on ${target.engine} `));
  });

  test("GET /healthz answers 200 with a small JSON body", async () => {
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
    const health = await response.json() as { status: string; version: string; engine: string; pid: number };
    assert.equal(health.status, "ok");
    assert.equal(health.version, VERSION);
    assert.equal(health.engine, target.engine);
    assert.ok(Number.isInteger(health.pid) && health.pid > 0);
  });

  test("GET / is an HTML welcome page with version, engine, pid and uptime", async () => {
    const health = await (await fetch(`${server.url}/healthz`)).json() as { pid: number };
    const response = await fetch(`${server.url}/`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    const page = await response.text();
    assert.match(page, /^<!doctype html>/i);
    assert.match(page, new RegExp(`<dt>Version</dt><dd>${VERSION.replace(/\./g, "\\.")}</dd>`));
    assert.match(page, new RegExp(`<dt>Engine</dt><dd>${target.engine} \\d+\\.\\d+`));
    assert.match(page, new RegExp(`<dd>${health.pid}</dd>`));
    assert.match(page, /<dt>Uptime<\/dt><dd>\d+ s<\/dd>/);
    assert.match(page, /import \{ Hono \} from "hono";[\s\S]*new Hono&lt;\{ Bindings: Env \}&gt;\(\)/, "shows a Hono app");
    assert.match(page, /export default \{\n  fetch\(request: Request\)/, "and a plain object");
    // The command as it can be typed from the server's directory (a temporary
    // one, outside the checkout): lsky is not on the PATH here.
    const script = join(ROOT, "dist", "lsky.mjs");
    const command = target.name === "binary" ? join(ROOT, "dist", "lsky") : target.engine === "node" ? `node ${script}`
      : target.engine === "bun" ? `bun ${script}` : `deno run -A ${script}`;
    assert.ok(page.includes(`<pre>${command} serve app.ts --workers 4</pre>`), `shows "${command} serve app.ts": ${page}`);
    assert.match(page, /docs\/CONFIGURATION\.md/, "names the docs");
  });

  test("the worker runs from the worker bundle beside lsky.mjs (the binary: from itself)", async () => {
    const health = await (await fetch(`${server.url}/healthz`)).json() as { pid: number };
    const argv = readFileSync(`/proc/${health.pid}/cmdline`, "utf8").split("\0");
    const expected = target.name === "binary" ? join(ROOT, "dist", "lsky") : join(ROOT, "dist", "lsky-worker.mjs");
    assert.ok(argv.includes(expected), `started as ${argv.join(" ")}`);
    assert.ok(argv.includes("__worker"), argv.join(" "));
  });

  test("an unknown path is a 404", async () => {
    assert.equal((await fetch(`${server.url}/nope`)).status, 404);
  });
});
