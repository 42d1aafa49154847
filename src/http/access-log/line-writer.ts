/**
 * Collects access-log lines and writes them together: when `maxBytes` are
 * pending, or `flushMs` after the first pending line, like nginx's
 * `access_log ... buffer= flush=`. One write per turn of the event loop was
 * still about one write per request under load (a turn rarely holds more
 * than one request), and each write is a syscall in the worker plus a read
 * and a write in the supervisor's line relay: it tripled the worker's CPU per
 * request on Bun. Whatever is pending is written when the process exits; a
 * killed worker loses at most `flushMs` of lines.
 */
export function createBufferedLineWriter(write: (text: string) => void, maxBytes = 64 * 1024, flushMs = 50): (line: string) => void {
  let pending = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending === "") return;
    const text = pending;
    pending = "";
    write(text);
  };
  process.once("exit", flush);
  return (line) => {
    pending += `${line}\n`;
    if (pending.length >= maxBytes) return flush();
    if (timer === undefined) {
      timer = setTimeout(flush, flushMs);
      // The exit handler writes what is left; the timer must not keep a draining worker alive.
      (timer as { unref?: () => void }).unref?.();
    }
  };
}
