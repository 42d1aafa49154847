/**
 * Collects access-log lines and writes them in one call per turn of the event
 * loop (or every `maxLines`), instead of one write per request: each write
 * is a syscall in the worker and a read and a write in the supervisor's
 * line relay. Whatever is pending is written when the process exits.
 */
export function createBatchedLineWriter(write: (text: string) => void, maxLines = 256): (line: string) => void {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    pending = [];
    write(text);
  };
  process.once("exit", flush);
  return (line) => {
    pending.push(line);
    if (pending.length >= maxLines) return flush();
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
}
