import { spawnSync } from "node:child_process";

/**
 * Decides what a test does when a system tool it needs (`ip`, `sysctl`,
 * `unshare`, `setpriv`, `prlimit`) or the privilege to use it is missing.
 * scripts/install-system-deps.sh installs the tools, and CI runs as root, so
 * there a missing tool is a broken setup: the test fails with the fix rather
 * than skipping in silence. Only an unprivileged run outside CI (a developer's
 * laptop) may skip, and it says so loudly on stderr.
 */
export function skipUnless(available: boolean, need: string): false | string {
  if (available) return false;
  const strict = process.getuid?.() === 0 || !!process.env.CI;
  if (strict) {
    return failing(`${need}: not available although this run is ${process.env.CI ? "in CI" : "root"}; run scripts/install-system-deps.sh`);
  }
  const reason = `needs ${need} (unprivileged run outside CI)`;
  process.stderr.write(`\n*** SKIPPED: ${reason}; CI runs it as root ***\n`);
  return reason;
}

/** True when `command args` runs and exits 0. */
export function runs(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: "ignore" }).status === 0;
}

// node:test has no "fail this suite" option; throwing while the suites are
// declared fails the file with this message, which is what CI must show.
function failing(message: string): never {
  throw new Error(message);
}
