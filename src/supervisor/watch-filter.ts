import { type IgnoreRule, isPathIgnored, parseIgnoreRules } from "./gitignore.ts";

/** Files whose change can change what the app does: its code and data modules. */
export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json"] as const;

/** Config files an app or lsky reads at start: lsky.config.*, tsconfig, deno, package, .env*. */
const CONFIG_FILE = /^(?:lsky\.config\.[^/]+|tsconfig\.json|deno\.jsonc?|package\.json|\.env(?:\..+)?)$/;

/**
 * Directories never watched, whatever the settings: installed packages, the
 * repository, build output, and lsky's own working files.
 */
export const NEVER_WATCHED = ["node_modules", ".git", "dist", ".lsky"] as const;

export interface WatchFilter {
  /** A directory not worth descending into (relative, `/`-separated). */
  skipsDirectory(path: string): boolean;
  /** Whether a change to this file (relative, `/`-separated) reloads the app. */
  reloadsOn(path: string): boolean;
}

export interface WatchFilterOptions {
  /** --watch-ignore: gitignore-style patterns. */
  ignore: readonly string[];
  /** The text of the watched directory's .gitignore, if it has one. */
  gitignore?: string;
  /** Files lsky itself writes (pid file, redirected output), relative. */
  ownFiles?: readonly string[];
}

/**
 * Decides what --watch reacts to. A file reloads the app when it has a source
 * extension or is a config file, and nothing excludes it: a never-watched
 * directory, lsky's own output, --watch-ignore, or .gitignore (which does not
 * apply to config files: `.env` is ignored by git precisely because it is
 * edited locally).
 */
export function createWatchFilter(options: WatchFilterOptions): WatchFilter {
  const chosen = parseIgnoreRules(options.ignore.join("\n"));
  const fromGit: IgnoreRule[] = options.gitignore ? parseIgnoreRules(options.gitignore) : [];
  const own = new Set(options.ownFiles ?? []);
  const never = (path: string) => path.split("/").some((part) => (NEVER_WATCHED as readonly string[]).includes(part));
  return {
    skipsDirectory: (path) =>
      never(path) || isPathIgnored(chosen, path, true) || isPathIgnored(fromGit, path, true),
    reloadsOn: (path) => {
      if (never(path) || own.has(path) || isPathIgnored(chosen, path, false)) return false;
      const name = path.slice(path.lastIndexOf("/") + 1);
      if (CONFIG_FILE.test(name)) return true;
      const dot = name.lastIndexOf(".");
      if (dot <= 0 || !(SOURCE_EXTENSIONS as readonly string[]).includes(name.slice(dot))) return false;
      return !isPathIgnored(fromGit, path, false);
    },
  };
}
