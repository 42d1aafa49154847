import { type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import { join } from "node:path";
import type { WatchFilter } from "./watch-filter.ts";

// An editor's save is several events within a few milliseconds (write,
// rename, chmod); a burst ends when it has been quiet this long.
const DEBOUNCE_MS = 40;
// A writer that never pauses still gets a reload this often.
const MAX_WAIT_MS = 1000;
const POLL_MS = 500;
// The polling fallback stops looking beyond this many files (a bound, not a goal).
const MAX_POLLED_FILES = 20_000;

export interface Watcher {
  /** How changes are noticed: one fs.watch per directory, or polling. */
  readonly mode: "events" | "polling";
  /** Directories watched (events) or scanned (polling). */
  directories(): number;
  close(): void;
}

export interface WatchOptions {
  filter: WatchFilter;
  /** Reports a problem with watching (one line), e.g. the inotify limit. */
  onError(message: string): void;
  polling?: boolean;
  /** For tests: stands in for fs.watch. */
  watchFn?: typeof watch;
}

/**
 * Calls `onChange` with the first changed path (relative to `dir`, `/`-separated)
 * once a burst of changes has been quiet for DEBOUNCE_MS.
 *
 * Each directory gets its own non-recursive fs.watch rather than one recursive
 * watch of the root: a recursive watch (Node's on Linux, Deno's, Bun's) puts
 * an inotify watch on every directory below, node_modules included (thousands
 * of them), where this never enters a directory the filter skips. New
 * directories are picked up as they appear. If the kernel refuses a watch
 * (ENOSPC: the inotify limit), it says so once and polls instead.
 */
export function watchDirectory(dir: string, onChange: (path: string) => void, options: WatchOptions): Watcher {
  const changed = debounce(onChange);
  if (!options.polling) {
    try {
      const tree = watchTree(dir, options, changed);
      return { mode: "events", directories: () => tree.size, close: () => (changed.cancel(), tree.close()) };
    } catch (error) {
      options.onError(describeWatchError(dir, error as NodeJS.ErrnoException));
    }
  }
  const poller = pollDirectory(dir, options.filter, changed);
  return { mode: "polling", directories: poller.directories, close: () => (changed.cancel(), poller.stop()) };
}

const FALLING_BACK = `polling every ${POLL_MS} ms instead`;

export function describeWatchError(dir: string, error: NodeJS.ErrnoException, consequence = FALLING_BACK): string {
  if (error.code === "ENOSPC" || error.code === "EMFILE") {
    return `cannot watch ${dir}: the inotify watch limit is reached (${error.code}); ${consequence}. ` +
      "Fix: sysctl -w fs.inotify.max_user_watches=524288 (and max_user_instances), or add folders to --watch-ignore";
  }
  return `cannot watch ${dir}: ${error.message}; ${consequence}`;
}

type Debounced = ((path: string) => void) & { cancel(): void };

function debounce(onChange: (path: string) => void): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first: string | undefined;
  let burstStarted = 0;
  const fire = () => {
    const path = first!;
    first = undefined;
    onChange(path);
  };
  const changed = (path: string) => {
    if (first === undefined) {
      first = path;
      burstStarted = Date.now();
    }
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(DEBOUNCE_MS, burstStarted + MAX_WAIT_MS - Date.now())));
  };
  return Object.assign(changed, { cancel: () => clearTimeout(timer) });
}

interface Tree {
  readonly size: number;
  close(): void;
}

// long: add, remove and onEvent call one another over one map of watchers
/** One fs.watch per directory that the filter does not skip. Throws if the root cannot be watched. */
function watchTree(root: string, options: WatchOptions, changed: (path: string) => void): Tree {
  const { filter } = options;
  const watchFn = options.watchFn ?? watch;
  const watchers = new Map<string, FSWatcher>();
  let limitReported = false;

  const add = (rel: string, announce: boolean) => {
    if (watchers.has(rel)) return;
    const absolute = rel ? join(root, rel) : root;
    let watcher: FSWatcher;
    try {
      watcher = watchFn(absolute, { persistent: false }, (_event, name) => {
        if (name) onEvent(rel ? `${rel}/${String(name)}` : String(name));
      });
    } catch (error) {
      if (rel === "") throw error; // the caller falls back to polling
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") return; // gone again already
      if (!limitReported) options.onError(describeWatchError(absolute, error as NodeJS.ErrnoException, "changes below it are not seen"));
      limitReported = true;
      return;
    }
    watcher.on("error", (error: NodeJS.ErrnoException) => {
      // A deleted directory's watcher errors on some engines: that is no news.
      if (!isDirectory(absolute)) return void remove(rel);
      options.onError(`watching ${absolute} failed: ${error.message}`);
    });
    watchers.set(rel, watcher);
    for (const entry of listDirectory(absolute)) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!filter.skipsDirectory(path)) add(path, announce);
      } else if (announce && filter.reloadsOn(path)) {
        changed(path); // written before this directory's watcher was armed
      }
    }
  };

  const remove = (rel: string) => {
    for (const [path, watcher] of watchers) {
      if (path === rel || path.startsWith(`${rel}/`)) {
        watcher.close();
        watchers.delete(path);
      }
    }
  };

  const onEvent = (path: string) => {
    if (watchers.has(path)) {
      if (!isDirectory(join(root, path))) {
        remove(path);
        changed(path); // a directory of watched files went away
      }
      return;
    }
    if (isDirectory(join(root, path))) {
      if (!filter.skipsDirectory(path)) add(path, true);
      return;
    }
    if (filter.reloadsOn(path)) changed(path);
  };

  add("", false);
  return { get size() { return watchers.size; }, close: () => remove("") };
}

function pollDirectory(dir: string, filter: WatchFilter, changed: (path: string) => void) {
  let previous = snapshot(dir, filter);
  const interval = setInterval(() => {
    const next = snapshot(dir, filter);
    for (const [path, mtime] of next.files) if (previous.files.get(path) !== mtime) changed(path);
    for (const path of previous.files.keys()) if (!next.files.has(path)) changed(path);
    previous = next;
  }, POLL_MS);
  interval.unref?.();
  return { directories: () => previous.directories, stop: () => clearInterval(interval) };
}

/** Relative path -> modification time of every watched file under `dir`. */
function snapshot(dir: string, filter: WatchFilter): { files: Map<string, number>; directories: number } {
  const files = new Map<string, number>();
  const pending = [""];
  let directories = 0;
  while (pending.length > 0 && files.size < MAX_POLLED_FILES) {
    const rel = pending.pop()!;
    directories++;
    for (const entry of listDirectory(rel ? join(dir, rel) : dir)) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!filter.skipsDirectory(path)) pending.push(path);
      } else if (filter.reloadsOn(path)) {
        files.set(path, mtimeOf(join(dir, path)));
      }
    }
  }
  return { files, directories };
}

function listDirectory(path: string) {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}
