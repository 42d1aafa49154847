import { readFileSync, readlinkSync, statSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import type { ServeSettings } from "../config/options.ts";
import type { Logger } from "../log.ts";
import { createWatchFilter } from "./watch-filter.ts";
import { type Watcher, watchDirectory } from "./watch.ts";

/**
 * --watch: reloads the workers when the app's sources or config files change
 * in the app's directory. Changes that arrive while a reload runs are
 * gathered into one more reload after it, never one reload per change.
 */
export function startWatching(
  entry: string | undefined,
  settings: Pick<ServeSettings, "watchIgnore" | "pidFile">,
  log: Logger,
  reload: () => Promise<unknown>,
): Watcher | undefined {
  if (!entry) {
    log.warn("--watch needs an app entry; the built-in app is not watched");
    return undefined;
  }
  const dir = dirname(resolve(entry));
  const filter = createWatchFilter({
    ignore: settings.watchIgnore,
    gitignore: readIfPresent(resolve(dir, ".gitignore")),
    ownFiles: ownOutput(settings.pidFile).map((path) => relative(dir, path).split(sep).join("/")),
  });
  let running = false;
  let pending: string | undefined;
  const run = async (path: string) => {
    running = true;
    try {
      log.info(`${path} changed: reloading`);
      await reload().catch((error: Error) => log.error(`reload failed: ${error.message}`));
    } finally {
      running = false;
    }
    if (pending !== undefined) {
      const next = pending;
      pending = undefined;
      void run(next);
    }
  };
  const watcher = watchDirectory(dir, (path) => (running ? (pending ??= path) : void run(path)), {
    filter,
    onError: (message) => log.warn(message),
  });
  log.info(
    `watching ${dir} for changes (${watcher.mode}, ${watcher.directories()} director${watcher.directories() === 1 ? "y" : "ies"}; ` +
      "sources and config files; skipping node_modules, .git, dist, .gitignore and --watch-ignore)",
  );
  return watcher;
}

/**
 * Files lsky itself writes: its pid file, and its stdout and stderr when they
 * are redirected to a file (`lsky serve app.ts --watch > app.log`), so that
 * its own output never counts as a change.
 */
function ownOutput(pidFile: string): string[] {
  const files = pidFile ? [resolve(pidFile)] : [];
  for (const fd of [1, 2]) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (isAbsolute(target) && statSync(target).isFile()) files.push(target);
    } catch {
      // Not Linux, or not a file: nothing to exclude.
    }
  }
  return files;
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}
