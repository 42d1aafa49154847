import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";

/** The words that turn static files off, besides an empty value. */
const OFF = ["off", "false", "no", "none"];

/**
 * Parses `--static DIR` into an absolute path (workers may not share the
 * supervisor's working directory), or "" for off. A directory that does not
 * exist is a configuration error at start, not a 404 on every request.
 */
export function parseStaticDir(text: string): string {
  const value = text.trim();
  if (value === "" || OFF.includes(value.toLowerCase())) return "";
  const path = resolve(value);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw new RangeError(`expected a directory, or "off"; "${path}" is not one`);
  }
  return path;
}

/** `./public` when the working directory has one, as frameworks lay out their assets. */
export function defaultStaticDir(): string {
  const path = resolve("public");
  return existsSync(path) && statSync(path).isDirectory() ? path : "";
}
