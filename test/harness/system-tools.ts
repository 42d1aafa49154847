/**
 * Decides what a test does when a system tool it needs (`ip`, `sysctl`,
 * `unshare`, `setpriv`, `prlimit`) or the privilege to use it is missing.
 * scripts/install-system-deps.sh installs the tools, and CI runs as root, so
 * there a missing tool is a broken setup: the test fails with the fix rather
 * than skipping in silence. Only an unprivileged run outside CI (a developer's
 * laptop) may skip, and it says so loudly on stderr.
 */
export function skipUnless(
  available: boolean,
  need: string,
  run: { root: boolean; ci: boolean } = { root: process.getuid?.() === 0, ci: !!process.env.CI },
): false | string {
  if (available) return false;
  if (run.root || run.ci) {
    return failing(`${need}: not available although this run is ${run.ci ? "in CI" : "root"}; run scripts/install-system-deps.sh`);
  }
  const reason = `needs ${need} (unprivileged run outside CI)`;
  process.stderr.write(`\n*** SKIPPED: ${reason}; CI runs it as root ***\n`);
  return reason;
}

// node:test has no "fail this suite" option; throwing while the suites are
// declared fails the file with this message, which is what CI must show.
function failing(message: string): never {
  throw new Error(message);
}
