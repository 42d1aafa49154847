// Fails when a tracked text file still holds a merge conflict marker: a
// merge resolved in haste once committed one into the docs unnoticed.
// Usage: node scripts/check-conflict-markers.mjs
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MARKER = /^(<{7}|>{7}) /m;
const files = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);
const found = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    continue; // listed but absent (deleted in the work tree)
  }
  if (text.includes("\0")) continue; // binary
  const match = MARKER.exec(text);
  if (match) found.push(`${file}:${text.slice(0, match.index).split("\n").length}`);
}
if (found.length) {
  console.error(`check-conflict-markers: merge conflict markers left in:\n  ${found.join("\n  ")}`);
  process.exit(1);
}
console.log(`check-conflict-markers: ${files.length} files, none left`);
