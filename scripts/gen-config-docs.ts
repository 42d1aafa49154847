// Rewrites the settings table in docs/CONFIGURATION.md from src/config/options.ts.
// Usage: node --import tsx scripts/gen-config-docs.ts   (npm run docs:config)
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { withSettingsTable } from "../src/config/config-docs.ts";

const path = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "CONFIGURATION.md");
const before = readFileSync(path, "utf8");
const after = withSettingsTable(before);
if (after !== before) writeFileSync(path, after);
process.stdout.write(`${after === before ? "unchanged" : "updated"} ${path}\n`);
