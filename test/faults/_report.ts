import { appendFileSync } from "node:fs";

/** One measured figure of the fault suite. */
export interface Figure {
  suite: string;
  target: string;
  name: string;
  expected: string;
  got: string;
  /** Matches the promise, or a documented engine gap. */
  verdict: "ok" | "gap";
}

/**
 * Prints the figure, and appends it as JSON to $LSKY_FAULT_REPORT when set
 * (scripts/fault-table.mjs turns that file into the table in docs/RELIABILITY.md).
 */
export function report(figure: Figure): void {
  const mark = figure.verdict === "ok" ? "" : " (engine gap)";
  console.log(`[${figure.suite}] ${figure.target}: ${figure.name}: expected ${figure.expected}, got ${figure.got}${mark}`);
  const file = process.env.LSKY_FAULT_REPORT;
  if (file) appendFileSync(file, `${JSON.stringify(figure)}\n`);
}
