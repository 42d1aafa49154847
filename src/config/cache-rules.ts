/**
 * `Cache-Control` values for static files by pattern. Written as
 * `PATTERN=VALUE` rules separated by `;` (Cache-Control values contain commas,
 * never semicolons), e.g.
 *   `*.js,*.css=public, max-age=31536000, immutable; *.html=no-cache`
 * A pattern is matched against the file's path under DIR without the leading
 * slash: `*` matches within one path segment, `**` across segments, `?` one
 * character; a pattern without `/` matches the file name in any folder. A
 * pattern may list alternatives with `,` before the `=`. First match wins.
 */
export type CacheRules = Array<{ pattern: string; value: string }>;

export interface CompiledCacheRule {
  matches: (relativePath: string) => boolean;
  value: string;
}

export function parseCacheRules(text: string): CacheRules {
  const rules: CacheRules = [];
  for (const part of text.split(";")) {
    if (!part.trim()) continue;
    const equals = part.indexOf("=");
    if (equals <= 0) throw new RangeError('expected rules such as "*.js=public, max-age=31536000; *.html=no-cache"');
    const value = part.slice(equals + 1).trim();
    if (!value || /[\r\n]/.test(value)) throw new RangeError(`expected a Cache-Control value after "${part.slice(0, equals).trim()}="`);
    for (const pattern of part.slice(0, equals).split(",")) {
      if (pattern.trim()) rules.push({ pattern: pattern.trim(), value });
    }
  }
  return rules;
}

/**
 * Cache rules as a config file writes them: `{ "*.js": "public, max-age=31536000" }`
 * or `[{ pattern, value }]`. Undefined when the value has neither shape.
 */
export function cacheRulesFromObject(value: object): CacheRules | undefined {
  const entries: [unknown, unknown][] = Array.isArray(value)
    ? value.map((rule: { pattern?: unknown; value?: unknown }) => [rule?.pattern, rule?.value])
    : Object.entries(value);
  if (!entries.every(([p, v]) => typeof p === "string" && p && typeof v === "string" && v && !/[\r\n]/.test(v))) {
    return undefined;
  }
  return entries.map(([pattern, rule]) => ({ pattern: pattern as string, value: rule as string }));
}

export function compileCacheRules(rules: CacheRules): CompiledCacheRule[] {
  return rules.map(({ pattern, value }) => {
    const regex = globToRegExp(pattern.replace(/^\/+/, ""));
    const onName = !pattern.includes("/");
    return {
      value,
      matches: (path: string) => regex.test(onName ? path.slice(path.lastIndexOf("/") + 1) : path),
    };
  });
}

/** The Cache-Control value for a file, or undefined when no rule matches. */
export function cacheControlFor(rules: CompiledCacheRule[], relativePath: string): string | undefined {
  return rules.find((rule) => rule.matches(relativePath))?.value;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === "*" && glob[i + 1] === "*") {
      // "**/" also matches no folder at all, so "**/a.js" matches "a.js".
      source += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
