import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { PROCESS_DEFAULTS, validateProcesses } from "./process-config.ts";

const check = (raw: unknown) => validateProcesses(raw, "lsky.config.ts", "/srv/app");

function fails(raw: unknown, pattern: RegExp): void {
  assert.throws(() => check(raw), (error: unknown) => error instanceof LskyError && error.exitCode === 2 && pattern.test(error.message));
}

describe("validateProcesses", () => {
  test("fills the defaults, resolves a module against the config's folder, keeps a command as given", () => {
    const [mailer, legacy] = check({ mailer: { module: "./mailer.ts" }, legacy: { command: ["python3", "legacy.py"] } });
    assert.deepEqual(mailer, {
      name: "mailer", module: "/srv/app/mailer.ts", cwd: "/srv/app", ...PROCESS_DEFAULTS, env: {},
    });
    assert.deepEqual(legacy!.command, ["python3", "legacy.py"]);
    assert.equal(legacy!.module, undefined);
  });

  test("reads durations as on the command line (a bare number is seconds), signals and modes", () => {
    const [spec] = check({
      p: {
        module: "/abs/p.ts", instances: 3, restartDelay: "250ms", maxRestartDelay: 30, minUptime: "2m", maxRestarts: 0,
        stopSignal: "SIGINT", stopTimeout: "10s", reload: "signal", reloadSignal: "SIGUSR2", env: { A: "1" },
      },
    });
    assert.deepEqual(
      [spec!.module, spec!.instances, spec!.restartDelay, spec!.maxRestartDelay, spec!.minUptime, spec!.maxRestarts, spec!.stopSignal, spec!.stopTimeout, spec!.reload, spec!.reloadSignal, spec!.env],
      ["/abs/p.ts", 3, 250, 30_000, 120_000, 0, "SIGINT", 10_000, "signal", "SIGUSR2", { A: "1" }],
    );
  });

  test("refuses what it cannot run, naming the process and the key", () => {
    fails([], /Invalid value an array for "processes".*an object of processes by name/);
    fails({ "bad name": { module: "a.ts" } }, /Invalid value "bad name" for "processes"/);
    fails({ p: "a.ts" }, /Invalid value "a\.ts" for "processes\.p" in lsky\.config\.ts: expected an object with module or command/);
    fails({ p: {} }, /Invalid process "p" in lsky\.config\.ts: give exactly one of "module" and "command"/);
    fails({ p: { module: "a.ts", command: ["a"] } }, /give exactly one/);
    fails({ p: { command: [] } }, /"processes\.p\.command".*a program and its arguments/);
    fails({ p: { command: ["a", 1] } }, /"processes\.p\.command"/);
    fails({ p: { module: "" } }, /"processes\.p\.module".*a path to a module/);
    fails({ p: { module: "a.ts", instances: 0 } }, /"processes\.p\.instances".*a whole number from 1 to 64/);
    fails({ p: { module: "a.ts", stopTimeout: 0 } }, /"processes\.p\.stopTimeout".*above 0/);
    fails({ p: { module: "a.ts", stopSignal: "SIGFOO" } }, /"processes\.p\.stopSignal".*"SIGTERM"/);
    fails({ p: { module: "a.ts", reload: "maybe" } }, /"processes\.p\.reload".*"restart", "signal", "none"/);
    fails({ p: { module: "a.ts", minUptime: true } }, /"processes\.p\.minUptime".*a number or a string/);
    fails({ p: { module: "a.ts", env: { A: 1 } } }, /"processes\.p\.env".*an object of strings/);
    fails({ p: { module: "a.ts", instance: 2 } }, /Unknown key "processes\.p\.instance".*did you mean "instances"\?/);
  });
});
