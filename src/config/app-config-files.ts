import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Finding and reading the configuration files an app keeps beside it
 * (tsconfig.json, deno.json, node_modules), the way its own engine would: the
 * nearest one in the app's folder or a folder above it.
 */
export function findUp(start: string, names: string[]): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    for (const name of names) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Parses JSON with comments and trailing commas (tsconfig.json, deno.jsonc); undefined when it is not that. */
export function parseJsonc(text: string): unknown {
  try {
    return JSON.parse(stripTrailingCommas(stripComments(text)));
  } catch {
    return undefined;
  }
}

export function readJsonc(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const value = parseJsonc(text);
  return value && typeof value === "object" && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
}

// Walks the text once so that "//" or "/*" inside a string stays (URLs in paths).
function stripComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end - 1;
    } else if (char === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (char === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close === -1 ? text.length : close + 1;
    } else {
      out += char;
    }
  }
  return out;
}

function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function stripTrailingCommas(text: string): string {
  return text.replace(/,(\s*[}\]])/g, "$1");
}
