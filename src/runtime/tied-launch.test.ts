import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { TIED_PARENT_ENV, tiedLaunch } from "./tied-launch.ts";

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

/** Gone, or a zombie nobody reaped: either way it no longer runs. */
function stopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

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
    assert.ok(!stopped(childPid), "the tied child runs while its parent does");
    parent.kill("SIGKILL");
    const deadline = Date.now() + 5000;
    while (!stopped(childPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(stopped(childPid), "the tied child was killed with its parent");
  } finally {
    parent.kill("SIGKILL");
    if (!stopped(childPid)) process.kill(childPid, "SIGKILL");
  }
});
