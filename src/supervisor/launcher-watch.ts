/**
 * A supervisor started by a launcher on another engine (`--runtime`) runs in
 * its own process group, so it does not get the terminal's signals twice; in
 * exchange it must notice when the launcher is gone (killed with SIGKILL,
 * say) and stop rather than live on unsupervised.
 */
export const LAUNCHER_PID_ENV = "LSKY_LAUNCHER_PID";
const CHECK_MS = 1000;

export function watchLauncher(env: NodeJS.ProcessEnv, onGone: () => void): () => void {
  const launcher = Number(env[LAUNCHER_PID_ENV]);
  if (!Number.isInteger(launcher) || launcher <= 0) return () => {};
  const timer = setInterval(() => {
    if (process.ppid !== launcher) {
      clearInterval(timer);
      onGone();
    }
  }, CHECK_MS);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
