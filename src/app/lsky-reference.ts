import { readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

// Past this many files the answer is "maybe": the scan must stay cheap at start.
const MAX_FILES = 2000;
// "lsky", 'lsky', `lsky` or a subpath of it, anywhere in the text (comments too: erring is fine).
const LSKY_LITERAL = /(["'`])lsky(?:\/[^"'`\s]*)?\1/;
// A module specifier written as a literal after from, import or require.
const LITERAL_SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(["'])([^"'\n]*)\1/g;
// import(...) or require(...) whose argument is not a plain literal: it may name any file.
const COMPUTED_SPECIFIER = /\b(?:import|require)\s*\(\s*(?!["'][^"'\n]*["']\s*[,)])/;
const SUFFIXES = ["", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", "/index.js", "/index.mjs", "/index.cjs", "/index.ts"];

/**
 * Whether a module, or one it reaches through relative imports, may import
 * "lsky". Serving "lsky" to an app with none installed costs a Node worker a
 * module-loader thread (a V8 isolate: about 8.5 MB of RSS and, measured
 * earlier, about 200 ms of start), which most apps never use. Errs towards
 * yes: a computed import, a `#` or absolute specifier, a file it cannot
 * read or find, or a tree past MAX_FILES all answer yes. Packages
 * (bare specifiers) are not followed: one that imports lsky depends on it,
 * so it is installed and resolves without help.
 */
export function mayImportLsky(entry: string): boolean {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    if (seen.size >= MAX_FILES) return true;
    seen.add(file);
    const imports = relativeImportsOf(file);
    if (imports === undefined) return true;
    queue.push(...imports);
  }
  return false;
}

/** The files a module imports by relative path; undefined when it may import lsky or cannot be followed. */
function relativeImportsOf(file: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  if (LSKY_LITERAL.test(text) || COMPUTED_SPECIFIER.test(text)) return undefined;
  const files: string[] = [];
  for (const match of text.matchAll(LITERAL_SPECIFIER)) {
    const specifier = match[2]!.replace(/[?#].*$/, "");
    if (match[2]!.startsWith("#") || specifier.startsWith("/") || specifier.startsWith("file:")) return undefined;
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) continue;
    const found = resolveFile(resolve(dirname(file), specifier));
    if (found === undefined) return undefined;
    files.push(found);
  }
  return files;
}

function resolveFile(base: string): string | undefined {
  for (const suffix of SUFFIXES) {
    try {
      if (statSync(base + suffix).isFile()) return base + suffix;
    } catch {
      // Not this one.
    }
  }
  return undefined;
}
