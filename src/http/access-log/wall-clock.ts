/**
 * Wall-clock milliseconds read from the monotonic clock that times each
 * request anyway, so a log line's date costs no clock read of its own (on
 * Deno each read is about 1 to 2% of a small request's throughput, paired
 * runs). The two clocks are tied together again at most every `reanchorMs`,
 * so the log follows a clock that was stepped or slewed within that time.
 */
export function createWallClock(
  monotonic: () => number,
  wall: () => number = Date.now,
  reanchorMs = 1000,
): (at: number) => number {
  let anchoredAt = monotonic();
  let offset = wall() - anchoredAt;
  return (at) => {
    if (at - anchoredAt >= reanchorMs) {
      anchoredAt = at;
      offset = wall() - at;
    }
    return offset + at;
  };
}
