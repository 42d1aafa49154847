import { parseTrustEntries } from "../net/trust.ts";

/** Parses `--trust-proxy`: a comma-separated list of addresses, CIDRs and keywords. */
export function parseTrustList(text: string): string[] {
  return parseTrustEntries(text);
}

/**
 * Parses `--listen`: `unix:/absolute/or/relative/path`. (Host and port have
 * their own settings; this one exists for the Unix socket.) Empty means off.
 */
export function parseListen(text: string): string {
  const value = text.trim();
  if (value === "") return "";
  if (!value.startsWith("unix:") || value.length === "unix:".length) {
    throw new RangeError('expected "unix:/path/to/socket"');
  }
  // Linux limits a socket path to 107 bytes; per-worker paths add a suffix.
  if (Buffer.byteLength(value.slice(5)) > 100) throw new RangeError("a Unix socket path must be at most 100 bytes");
  return value;
}

/** The socket path of a `--listen unix:PATH` value, or undefined when listening on TCP. */
export function unixPathOf(listen: string): string | undefined {
  return listen.startsWith("unix:") ? listen.slice(5) : undefined;
}
