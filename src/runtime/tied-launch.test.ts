import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { processExited, waitFor } from "../../test/harness/wait.ts";
import { TIED_PARENT_ENV } from "./role-names.ts";
import { tiedLaunch } from "./tied-launch.ts";

const launch = { command: "/usr/bin/sleep", args: ["30"], env: { A: "1" } };
const wrapped = tiedLaunch(launch);
const hasSetpriv = wrapped !== launch;

test("without a setpriv that knows --pdeathsig the launch is left as it was", { skip: hasSetpriv && "this host has setpriv" }, () => {
  assert.deepEqual(wrapped, launch);
});

test("with setpriv the command runs through it, tied to this process", { skip: !hasSetpriv && "no setpriv here" }, () => {
  assert.match(wrapped.command, /\/setpriv$/);
  assert.deepEqual(wrapped.args, ["--pdeathsig", "KILL", "--", "/usr/bin/sleep", "30"]);
  assert.deepEqual(wrapped.env, { A: "1", [TIED_PARENT_ENV]: String(process.pid) });
});

test("a child started tied dies when its parent is killed with SIGKILL", { skip: !hasSetpriv && "no setpriv here" }, async () => {
  // The parent starts the tied child, prints its pid, then waits to be killed.
  const parentScript = `
    const { spawn } = require("node:child_process");
    const child = spawn(${JSON.stringify(wrapped.command)}, ${JSON.stringify(wrapped.args)}, { stdio: "ignore" });
    child.unref();
    setTimeout(() => console.log(child.pid), 200);
    setInterval(() => {}, 1000);
  `;
  const parent = spawn(process.execPath, ["-e", parentScript], { stdio: ["ignore", "pipe", "inherit"] });
  const childPid = await new Promise<number>((resolve) => parent.stdout.once("data", (chunk) => resolve(Number(String(chunk)))));
  try {
    assert.ok(!processExited(childPid), "the tied child runs while its parent does");
    parent.kill("SIGKILL");
    await waitFor("the tied child to be killed with its parent", () => processExited(childPid), 5000, 10);
    assert.ok(processExited(childPid), "the tied child was killed with its parent");
  } finally {
    parent.kill("SIGKILL");
    if (!processExited(childPid)) process.kill(childPid, "SIGKILL");
  }
});
