import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { exitedUnreaped, processExists } from "./wait-exit.ts";

test("a running process exists and is no zombie", () => {
  assert.equal(processExists(process.pid), true);
  assert.equal(exitedUnreaped(process.pid), false);
});

test("an exited child not yet collected by its parent counts as gone", { skip: process.platform !== "linux" && "reads /proc" }, async () => {
  // Node collects a child's status only when its event loop handles
  // SIGCHLD, so while this loop runs without yielding, the exited child
  // stays a zombie: the state `lsky stop` meets under a parent that never reaps.
  const child = spawn("sh", ["-c", "exit 0"], { stdio: "ignore" });
  const pid = child.pid!;
  let sawZombie = false;
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !sawZombie) {
    sawZombie = exitedUnreaped(pid);
    if (sawZombie) assert.equal(processExists(pid), false);
  }
  await new Promise((resolve) => child.once("exit", resolve));
  assert.ok(sawZombie, "the child was seen as a zombie before node collected it");
});

test("a pid with no process is gone", () => {
  // Above the kernel's pid_max default on 64-bit Linux (4,194,304).
  assert.equal(processExists(4_194_305), false);
});
