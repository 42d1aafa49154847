import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { markCloseOnExec, prepareCloseOnExec } from "./close-on-exec.ts";

test("on Node, which opens every descriptor close-on-exec, nothing is prepared or marked", async () => {
  await prepareCloseOnExec("node");
  assert.equal(markCloseOnExec(), 0);
});

// Deno: a descriptor it inherited without close-on-exec (fd 3 here) reaches
// the processes it starts until it is marked.
const DENO_SCRIPT = `
import { spawnSync } from "node:child_process";
import { markCloseOnExec, prepareCloseOnExec } from ${JSON.stringify(fileURLToPath(new URL("./close-on-exec.ts", import.meta.url)))};
const childFds = () => spawnSync("sh", ["-c", "ls /proc/$$/fd; true"], { encoding: "utf8" }).stdout.split("\\n").filter(Boolean).map(Number);
const before = childFds();
await prepareCloseOnExec("deno");
const marked = markCloseOnExec();
console.log(JSON.stringify({ before, marked: marked > 0, after: childFds() }));
`;

test("on Deno, a descriptor without close-on-exec is marked and no longer reaches a spawned process", (t) => {
  const result = spawnSync("deno", ["eval", "--quiet", DENO_SCRIPT], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe", "pipe"] });
  if (result.error) return t.skip("deno is not on PATH");
  assert.equal(result.status, 0, result.stderr);
  const seen = JSON.parse(result.stdout) as { before: number[]; marked: boolean; after: number[] };
  assert.ok(seen.before.includes(3), `fd 3 reached the child before: ${seen.before}`);
  assert.deepEqual(seen, { before: seen.before, marked: true, after: [0, 1, 2] });
});
