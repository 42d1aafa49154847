import type { ChildProcess } from "node:child_process";

/**
 * Sends a signal to a child process that is still running. Deno's
 * `ChildProcess.kill()` makes the child's "exit" event report that signal even
 * when the child caught it and exited with its own code (a graceful stop
 * exiting 0 showed up as "killed by SIGTERM", exit status 143); signalling the
 * pid directly keeps the real exit status on every engine.
 */
export function signalChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(child.pid, signal);
  } catch {
    // Already gone; its exit event follows.
  }
}

/**
 * Signals a child's whole process group (a child started `detached` leads
 * its own), so that what a command process started (a shell's children)
 * stops with it; the child alone when it has no group of its own.
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    signalChild(child, signal);
  }
}
