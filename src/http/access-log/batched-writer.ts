/**
 * At most this many entries wait for a write. Each write costs the supervisor
 * about the same whatever its size (a read from the worker's pipe and a write
 * of its own): at 50,000 lines a second on Deno, batches of 512 cost it 10
 * ticks of CPU per 100,000 lines and batches of up to 4,096 (in practice the
 * 50 ms timer's, some 2,500 lines) 5 ticks; a worker beside its supervisor on
 * one core served 3 to 7% more requests on Deno, 1 to 5% on Bun (paired
 * runs, docs/BENCHMARKS.md). About 200 bytes an entry: under 1 MB held.
 */
export const MAX_BATCH_ENTRIES = 4096;

/**
 * Collects access-log entries and writes them together, formatted in one
 * pass: when `maxEntries` are pending, or `flushMs` after the first pending
 * one, like nginx's `access_log ... buffer= flush=`. One write per turn of the
 * event loop was still about one write per request under load (a turn rarely
 * holds more than one request), and each write is a syscall in the worker plus
 * a read and a write in the supervisor: it tripled the worker's CPU per
 * request on Bun. Formatting at the flush rather than per request keeps
 * string building off the request's path (3 to 4% of a small request's
 * throughput on Deno, paired runs). Whatever is pending is written when the
 * process exits; a killed worker loses at most `flushMs` of lines.
 */
export function createBatchedWriter<T>(
  format: (entry: T) => string,
  write: (text: string) => void,
  maxEntries = MAX_BATCH_ENTRIES,
  flushMs = 50,
): (entry: T) => void {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.length === 0) return;
    const entries = pending;
    pending = [];
    let text = "";
    for (const entry of entries) text += `${format(entry)}\n`;
    write(text);
  };
  process.once("exit", flush);
  return (entry) => {
    pending.push(entry);
    if (pending.length >= maxEntries) return flush();
    if (timer === undefined) {
      timer = setTimeout(flush, flushMs);
      // The exit handler writes what is left; the timer must not keep a draining worker alive.
      (timer as { unref?: () => void }).unref?.();
    }
  };
}
