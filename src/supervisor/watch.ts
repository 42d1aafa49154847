import { type FSWatcher, readdirSync, statSync, watch } from "node:fs";
import { join, relative, sep } from "node:path";

/** Directories whose changes never trigger a reload. */
const IGNORED = new Set(["node_modules", ".git", "dist"]);
const DEBOUNCE_MS = 200;
const POLL_MS = 500;
// The polling fallback stops looking beyond this many files (a bound, not a goal).
const MAX_POLLED_FILES = 20_000;

export interface Watcher {
  /** How changes are noticed: the engine's recursive fs.watch, or polling. */
  readonly mode: "events" | "polling";
  close(): void;
}

export function isIgnored(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).some((part) => IGNORED.has(part));
}

/**
 * Calls `onChange` with the first changed path (relative to `dir`) once a
 * burst of changes has been quiet for DEBOUNCE_MS. Uses `fs.watch` with
 * `recursive` (Node 20 on Linux, Bun and Deno have it) and falls back to
 * polling modification times where the engine refuses it.
 */
export function watchDirectory(dir: string, onChange: (path: string) => void, options: { polling?: boolean } = {}): Watcher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let first: string | undefined;
  const changed = (path: string) => {
    if (isIgnored(path)) return;
    first ??= path;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const path = first!;
      first = undefined;
      onChange(path);
    }, DEBOUNCE_MS);
  };
  const stopTimer = () => clearTimeout(timer);
  try {
    if (options.polling) throw new Error("polling asked for");
    const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, name) => changed(String(name ?? ".")));
    watcher.on("error", () => {}); // a deleted subdirectory must not take the supervisor down
    return { mode: "events", close: () => (stopTimer(), watcher.close()) };
  } catch {
    const poller = pollDirectory(dir, changed);
    return { mode: "polling", close: () => (stopTimer(), poller()) };
  }
}

function pollDirectory(dir: string, changed: (path: string) => void): () => void {
  let previous = snapshot(dir);
  const interval = setInterval(() => {
    const next = snapshot(dir);
    for (const [path, mtime] of next) if (previous.get(path) !== mtime) changed(path);
    for (const path of previous.keys()) if (!next.has(path)) changed(path);
    previous = next;
  }, POLL_MS);
  interval.unref?.();
  return () => clearInterval(interval);
}

/** Relative path -> modification time of every file under `dir`, ignored folders skipped. */
function snapshot(dir: string): Map<string, number> {
  const files = new Map<string, number>();
  const pending = [dir];
  while (pending.length > 0 && files.size < MAX_POLLED_FILES) {
    const current = pending.pop()!;
    let entries;
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (IGNORED.has(entry.name)) continue;
      const path = join(current, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else files.set(relative(dir, path).split(sep).join("/"), mtimeOf(path));
    }
  }
  return files;
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}
