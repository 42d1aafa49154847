import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh working directory holding the given files. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-config-test-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const APP = JSON.stringify(fixture("env-echo.ts"));

interface Report {
  configFile: string | null;
  envFiles: string[];
  entry: { value: string | null; source: string };
  settings: Record<string, { value: unknown; source: string }>;
}

function parseReport(stdout: string): Report {
  return JSON.parse(stdout) as Report;
}

describeTargets("configuration", (target) => {
  test("a lsky.config.ts sets the app, port and workers", async () => {
    const port = await freePort();
    const cwd = project({
      "lsky.config.ts": `import { defineConfig } from "lsky";\n` +
        `export default defineConfig({ entry: ${APP}, port: ${port}, workers: 2, host: "127.0.0.1" });\n`,
    });
    const server = await startLsky(target, [], { cwd, port: false });
    assert.match(server.stdout(), new RegExp(`serving .*env-echo\\.ts at http://127\\.0\\.0\\.1:${port} .* with 2 workers`));
    const response = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), "(unset)");
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("environment beats the file, and a flag beats the environment", async () => {
    const cwd = project({ "lsky.config.json": JSON.stringify({ workers: 2, port: 7001, maxRequests: 5 }) });
    const result = await runLsky(target, ["config", "--json", "--port", "7003"], {
      cwd, env: { LSKY_WORKERS: "3", LSKY_PORT: "7002" },
    });
    assert.equal(result.code, 0, result.stderr);
    const { settings, configFile } = parseReport(result.stdout);
    assert.equal(configFile, join(cwd, "lsky.config.json"));
    assert.deepEqual(settings.workers, { value: 3, source: "env", flag: "--workers", env: ["LSKY_WORKERS"] });
    assert.deepEqual([settings.port!.value, settings.port!.source], [7003, "flag"]);
    assert.deepEqual([settings.maxRequests!.value, settings.maxRequests!.source], [5, "file"]);
    assert.deepEqual([settings.ttl!.value, settings.ttl!.source], [0, "default"]);
  });

  test(".env is loaded, --env NAME loads .env.NAME over it, and neither beats the real environment", async () => {
    const cwd = project({
      // A multi-line single-quoted value and a stray line, read as the dotenv package reads them.
      ".env": "LSKY_WORKERS=2\nGREETING=\"hello from .env\"\nKEPT=from-file\nCERT='-----BEGIN\nabc\n-----END'\nnot a pair\n",
      ".env.staging": "export LSKY_WORKERS=3 # staging\n",
      "lsky.config.mjs": `export default { entry: ${APP}, host: "127.0.0.1" };\n`,
    });
    const plain = await runLsky(target, ["config", "--json"], { cwd });
    assert.equal(plain.code, 0, plain.stderr);
    assert.deepEqual(parseReport(plain.stdout).settings.workers, { value: 2, source: "env", flag: "--workers", env: ["LSKY_WORKERS"] });
    const staging = await runLsky(target, ["config", "--json", "--env", "staging"], { cwd });
    assert.equal(parseReport(staging.stdout).settings.workers!.value, 3);
    assert.deepEqual(parseReport(staging.stdout).envFiles, [join(cwd, ".env"), join(cwd, ".env.staging")]);

    const server = await startLsky(target, ["--env", "staging"], { cwd, env: { KEPT: "from-environment" } });
    assert.match(server.stdout(), /with 3 workers/);
    assert.equal(await (await fetch(`${server.url}/?name=GREETING`)).text(), "hello from .env");
    assert.equal(await (await fetch(`${server.url}/?name=KEPT`)).text(), "from-environment");
    assert.equal(await (await fetch(`${server.url}/?name=CERT`)).text(), "-----BEGIN\nabc\n-----END");
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("an unknown key (or flag) fails at start with exit code 2, naming it and the closest one", async () => {
    const cwd = project({ "lsky.config.ts": `export default { entry: ${APP}, wrokers: 2 };\n` });
    const result = await runLsky(target, ["serve"], { cwd });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^\[lsky\] error: Unknown key "wrokers" in lsky\.config\.ts: did you mean "workers"\?$/m);
    assert.equal(result.stdout, "");
    const flag = await runLsky(target, ["config", "--wrokers", "2"], { cwd });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /Unknown option "--wrokers": did you mean "--workers"\?/);
  });

  test("an out-of-range value, a missing --config file and a throwing config fail with their exit codes", async () => {
    const cwd = project({
      "range.json": JSON.stringify({ port: 70000 }),
      "throws.mjs": `throw new Error("config exploded");\n`,
    });
    const range = await runLsky(target, ["serve", "--config", "range.json"], { cwd });
    assert.equal(range.code, 2);
    assert.match(range.stderr, /Invalid value 70000 for "port" in range\.json: expected a whole number from 0 to 65535/);
    const missing = await runLsky(target, ["serve", "--config", "nope.ts"], { cwd });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Cannot read config file "nope\.ts": no such file/);
    const throws = await runLsky(target, ["config", "--config", "throws.mjs"], { cwd });
    assert.equal(throws.code, 1);
    assert.match(throws.stderr, /Cannot load config file throws\.mjs: it threw Error: config exploded/);
  });

  test("lsky config prints each setting with its value and source, and no other variables", async () => {
    const cwd = project({
      "lsky.config.ts": `export default { entry: "app.ts", gracePeriod: "5s" };\n`,
      ".env": "DATABASE_PASSWORD=hunter2\n",
    });
    const result = await runLsky(target, ["config", "--workers", "4"], { cwd, env: { LSKY_PORT: "9100" } });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^config file: lsky\.config\.ts$/m);
    assert.match(result.stdout, /^entry: +.*app\.ts +\(file\)$/m);
    assert.match(result.stdout, /^workers +4 +flag$/m);
    assert.match(result.stdout, /^port +9100 +env$/m);
    assert.match(result.stdout, /^gracePeriod +5s +file \(lsky\.config\.ts\)$/m);
    assert.match(result.stdout, /^drainDelay +300ms +default$/m);
    assert.doesNotMatch(result.stdout, /hunter2|DATABASE_PASSWORD/);
  });

  test("--log-format json makes every line lsky prints one JSON object, worker lines included", async () => {
    const server = await startLsky(target, [fixture("env-echo.ts"), "--workers", "1", "--host", "127.0.0.1"], {
      env: { LSKY_LOG_FORMAT: "json" },
    });
    assert.equal(await (await fetch(`${server.url}/?name=NOTHING`)).text(), "(unset)");
    await server.waitForOutput(/looked up NOTHING/);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    // Each stream on its own: output() interleaves the two pipes by chunk,
    // and a chunk may end inside a line while the other pipe's arrives.
    const lines = [...server.stdout().split("\n"), ...server.stderr().split("\n")].filter(Boolean);
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(objects.some((o) => o.source === "lsky" && o.level === "info" && /serving .*env-echo\.ts/.test(String(o.msg))));
    assert.ok(objects.some((o) => o.worker === 1 && o.stream === "stdout" && o.msg === "looked up NOTHING"));
    assert.ok(objects.every((o) => typeof o.time === "string"));
  });
});
