import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "dotenv";
import { LskyError } from "../errors.ts";

/**
 * Parses `.env` text with the `dotenv` package's parser, so a file means in
 * lsky what it means to every Node tool: `#` comments, `export ` prefixes,
 * single, double and backtick quotes (any of them may span lines), `\n` and
 * `\r` expanded only inside double quotes. A line that is not `KEY=value` is
 * skipped, not an error. Later lines win over earlier ones.
 */
export function parseDotenv(text: string): Record<string, string> {
  return parse(text);
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
