/**
 * Measures event-loop delay with a timer that checks how late it fires. Works
 * the same on Bun, Deno and Node (perf_hooks' monitorEventLoopDelay is not
 * implemented everywhere). `take()` returns the worst delay since the last call.
 */
export function startLagMonitor(intervalMs = 100): { take(): number; stop(): void } {
  let worst = 0;
  let expected = performance.now() + intervalMs;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - expected);
    expected = now + intervalMs;
  }, intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return {
    take() {
      const value = worst;
      worst = 0;
      return Math.max(0, value);
    },
    stop: () => clearInterval(timer),
  };
}
