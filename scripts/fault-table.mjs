// Turns the figures the fault suite wrote ($LSKY_FAULT_REPORT, JSON lines) into
// markdown tables, one per suite: case, promise, and what each target did.
// Usage: LSKY_FAULT_REPORT=/tmp/f.jsonl npm run test:faults; node scripts/fault-table.mjs /tmp/f.jsonl
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/fault-table.mjs FIGURES.jsonl");
  process.exit(2);
}
const figures = readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
const targets = [...new Set(figures.map((f) => f.target))];
const suites = [...new Set(figures.map((f) => f.suite))];

function cell(figure) {
  if (!figure) return "–";
  const text = figure.got.replace(/\|/g, "\\|");
  return figure.verdict === "ok" ? text : `**${text}**`;
}

for (const suite of suites) {
  const rows = figures.filter((f) => f.suite === suite);
  const names = [...new Set(rows.map((f) => f.name))];
  console.log(`\n### ${suite}\n`);
  console.log(`| case | promise | ${targets.join(" | ")} |`);
  console.log(`| --- | --- | ${targets.map(() => "---").join(" | ")} |`);
  for (const name of names) {
    const expected = rows.find((f) => f.name === name).expected;
    const cells = targets.map((t) => cell(rows.find((r) => r.name === name && r.target === t)));
    console.log(`| ${name.replace(/\|/g, "\\|")} | ${expected} | ${cells.join(" | ")} |`);
  }
}
