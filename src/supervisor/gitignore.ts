/**
 * A small, exact subset of gitignore patterns (gitignore(5)), enough for
 * --watch to skip what a project never commits:
 * - blank lines and lines starting with `#` are skipped; trailing spaces are trimmed;
 * - `!pattern` re-includes what an earlier pattern excluded (but, as in git,
 *   nothing inside an excluded directory);
 * - a trailing `/` matches directories only;
 * - a `/` at the start or in the middle anchors the pattern to the base
 *   directory; otherwise it matches a name at any depth;
 * - `*` and `?` never match `/`; `[abc]`, `[a-z]`, `[!a]` are classes;
 *   `**` as a whole segment matches any number of directories;
 * - `\` escapes the next character (`\#`, `\!`, `\ `).
 * Only the base directory's own .gitignore is read; nested ones and
 * .git/info/exclude are not.
 */
export interface IgnoreRule {
  regex: RegExp;
  negated: boolean;
  directoryOnly: boolean;
}

export function parseIgnoreRules(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(/(?<!\\)\s+$/, "");
    if (line === "" || line.startsWith("#")) continue;
    const negated = line.startsWith("!");
    if (negated) line = line.slice(1);
    const directoryOnly = line.endsWith("/");
    if (directoryOnly) line = line.slice(0, -1);
    if (line === "") continue;
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    const body = segmentsToRegex(line);
    rules.push({ regex: new RegExp(anchored ? `^${body}$` : `^(?:.*/)?${body}$`), negated, directoryOnly });
  }
  return rules;
}

function segmentsToRegex(pattern: string): string {
  const segments = pattern.split("/");
  let out = "";
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === "**") {
      // "a/**/b" matches a/b, a/x/b; a trailing "/**" matches everything inside.
      out += last ? ".*" : "(?:[^/]*/)*";
      return;
    }
    out += globToRegex(segment) + (last ? "" : "/");
  });
  return out;
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "\\" && i + 1 < glob.length) out += escape(glob[++i]!);
    else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
        continue;
      }
      let inner = glob.slice(i + 1, end);
      const negate = inner.startsWith("!") || inner.startsWith("^");
      if (negate) inner = inner.slice(1);
      out += `[${negate ? "^" : ""}${inner.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else out += escape(c);
  }
  return out;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/**
 * Whether `path` (relative, `/`-separated) is ignored. A path inside an
 * ignored directory is ignored whatever later rules say, as in git.
 */
export function isPathIgnored(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  const parts = path.split("/");
  for (let depth = 1; depth < parts.length; depth++) {
    if (lastVerdict(rules, parts.slice(0, depth).join("/"), true)) return true;
  }
  return lastVerdict(rules, path, isDirectory);
}

function lastVerdict(rules: readonly IgnoreRule[], path: string, isDirectory: boolean): boolean {
  let ignored = false;
  for (const rule of rules) {
    if (rule.directoryOnly && !isDirectory) continue;
    if (rule.regex.test(path)) ignored = !rule.negated;
  }
  return ignored;
}
