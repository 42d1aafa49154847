import { sep } from "node:path";

/**
 * What a URL path means to the static directory:
 * - `{ segments }`: decoded path segments to look up under DIR (a trailing
 *   empty segment means the path ended with "/");
 * - `"forbidden"`: a path that tries to leave DIR or to smuggle a separator
 *   (lsky answers 404 and the app never sees it);
 * - `"skip"`: a path that cannot name a servable file (a dotfile), left to the app.
 */
export type StaticPath = { segments: string[] } | "forbidden" | "skip";

/**
 * Splits a raw (still percent-encoded) URL path into safe segments. The URL
 * parser already removed `.` and `..` segments, but engines differ in what
 * they pass through, so every rule is checked again here, after one decoding
 * and after a second one (double encoding such as `%252e%252e` is an attack
 * on servers that decode twice; lsky refuses it rather than look it up).
 */
export function parseStaticPath(rawPath: string): StaticPath {
  if (!rawPath.startsWith("/") || rawPath.includes("\\")) return "forbidden";
  const segments: string[] = [];
  const rawSegments = rawPath.slice(1).split("/");
  for (let i = 0; i < rawSegments.length; i++) {
    const decoded = decodeOnce(rawSegments[i]!);
    if (decoded === undefined || isDangerous(decoded)) return "forbidden";
    const twice = decoded.includes("%") ? decodeOnce(decoded) : decoded;
    if (twice !== undefined && isDangerous(twice)) return "forbidden";
    const last = i === rawSegments.length - 1;
    if (decoded === "" && !last) return "forbidden"; // "//" would be an absolute path on some systems
    if (decoded.startsWith(".") && decoded !== ".well-known") return "skip";
    segments.push(decoded);
  }
  return { segments };
}

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined; // malformed escapes
  }
}

function isDangerous(segment: string): boolean {
  return segment === ".." || segment === "." || /[/\\\0]/.test(segment);
}

/** Whether `path` (a realpath) is `root` (a realpath) or inside it. */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  const prefix = root.endsWith(sep) ? root : root + sep;
  return path.startsWith(prefix);
}
