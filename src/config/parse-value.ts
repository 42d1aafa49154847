/**
 * Parsers for setting values given as text (flags, environment variables).
 * Each returns the parsed value or throws a RangeError whose message says what
 * is allowed; the config resolver adds which setting and where it came from.
 */

/** Parses a whole number in [min, max]. */
export function parseInteger(text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim())) throw new RangeError(`expected a whole number from ${min} to ${max}`);
  const value = Number(text);
  if (value < min || value > max) throw new RangeError(`expected a whole number from ${min} to ${max}`);
  return value;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration into milliseconds: `500ms`, `30s`, `5m`, `1h`; a bare
 * number is seconds (as in `--grace-period 30`). `0` means "off" where a
 * setting allows it.
 */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new RangeError('expected a duration such as "500ms", "30s", "5m" or a number of seconds');
  return Math.round(Number(match[1]) * DURATION_UNITS[match[2] ?? "s"]!);
}

const MAX_TIMEOUT_MS = 24 * 3_600_000;

/** A duration for a timeout: at most a day; 0 ("none") only where `allowZero`. */
export function parseTimeout(text: string, { allowZero = true }: { allowZero?: boolean } = {}): number {
  const ms = parseDuration(text);
  if (ms > MAX_TIMEOUT_MS) throw new RangeError("expected a duration of at most 24h");
  if (!allowZero && ms === 0) throw new RangeError("expected a duration above 0");
  return ms;
}

/** Parses a boolean flag value as given in an environment variable. */
export function parseBoolean(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(value)) return true;
  if (["0", "false", "no", "off", ""].includes(value)) return false;
  throw new RangeError('expected "true" or "false"');
}

/** Parses one of a fixed set of words. */
export function parseChoice<T extends string>(text: string, choices: readonly T[]): T {
  const value = text.trim() as T;
  if (!choices.includes(value)) throw new RangeError(`expected one of ${choices.map((c) => `"${c}"`).join(", ")}`);
  return value;
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/**
 * Parses a size into bytes: a bare number is bytes; `16kb`, `8mb`, `1gb` (also
 * `k`, `kib`, `m`, `mib`, `g`, `gib`, any case) are binary multiples, because
 * limits are compared with buffer sizes, never with disk marketing.
 */
export function parseSize(text: string, max = Number.MAX_SAFE_INTEGER): number {
  const match = /^(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|(b))?$/i.exec(text.trim());
  if (!match) throw new RangeError('expected a size such as "16kb", "8mb", "1gb" or a number of bytes');
  const unit = (match[2] ?? match[3] ?? "").toLowerCase();
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[unit]!);
  if (bytes > max) throw new RangeError(`expected a size of at most ${max} bytes`);
  return bytes;
}
