import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LskyError } from "../errors.ts";

/**
 * A small `.env` parser: `KEY=value` lines, `#` comments, an optional
 * `export ` prefix, single quotes (taken literally), double quotes (with
 * `\n`, `\t`, `\"` and `\\` escapes, and may span lines), and unquoted values
 * that end at ` #`. Later lines win over earlier ones.
 */
export function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) throw new SyntaxError(`line ${i + 1}: expected KEY=value`);
    const [, key, rest] = match as unknown as [string, string, string];
    if (rest.startsWith('"')) {
      const [value, lastLine] = readDoubleQuoted(rest, lines, i);
      values[key] = value;
      i = lastLine;
    } else if (rest.startsWith("'")) {
      const end = rest.indexOf("'", 1);
      if (end === -1) throw new SyntaxError(`line ${i + 1}: unterminated single quote for ${key}`);
      values[key] = rest.slice(1, end);
    } else {
      values[key] = rest.replace(/\s+#.*$/, "").trim();
    }
  }
  return values;
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\", $: "$" };

/** Reads a double-quoted value starting at `first` (which begins with the quote); it may continue on later lines. */
function readDoubleQuoted(first: string, lines: string[], index: number): [string, number] {
  let text = first.slice(1);
  let value = "";
  for (let line = index; ; ) {
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char === '"') return [value, line];
      if (char === "\\" && i + 1 < text.length) {
        const next = text[++i]!;
        value += ESCAPES[next] ?? `\\${next}`;
      } else {
        value += char;
      }
    }
    line++;
    if (line >= lines.length) throw new SyntaxError(`line ${index + 1}: unterminated double quote`);
    value += "\n";
    text = lines[line]!;
  }
}

export interface LoadedEnvFile {
  path: string;
  /** The names it set (those not already in the environment). */
  applied: string[];
}

/**
 * Loads `.env` from `dir`, then `.env.NAME` over it when `name` is given,
 * into `env`. A variable already set in the environment is never overridden:
 * the real environment beats both files, and `.env.NAME` beats `.env`.
 */
export function loadDotenvFiles(
  dir: string,
  name: string | undefined,
  env: Record<string, string | undefined> = process.env,
  /** Names that count as unset even though `env` has them (set by the engine from .env files). */
  overridable: ReadonlySet<string> = new Set(),
): LoadedEnvFile[] {
  const files = [join(dir, ".env"), ...(name ? [join(dir, `.env.${name}`)] : [])];
  if (name && !existsSync(files[1]!)) {
    throw new LskyError("INVALID_CONFIG", `Cannot load the environment "${name}": no file "${files[1]}"`, {
      hint: `Create .env.${name}, or leave out --env`,
    });
  }
  const merged: Record<string, string> = {};
  const origin: Record<string, string> = {};
  for (const path of files) {
    if (!existsSync(path)) continue;
    for (const [key, value] of Object.entries(parseFile(path))) {
      merged[key] = value;
      origin[key] = path;
    }
  }
  const loaded = new Map<string, string[]>();
  for (const [key, value] of Object.entries(merged)) {
    if (env[key] !== undefined && !overridable.has(key)) continue;
    env[key] = value;
    const path = origin[key]!;
    loaded.set(path, [...(loaded.get(path) ?? []), key]);
  }
  return files.filter(existsSync).map((path) => ({ path, applied: loaded.get(path) ?? [] }));
}

function parseFile(path: string): Record<string, string> {
  try {
    return parseDotenv(readFileSync(path, "utf8"));
  } catch (error) {
    throw new LskyError("INVALID_CONFIG", `Cannot read "${path}": ${(error as Error).message}`);
  }
}
