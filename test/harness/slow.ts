/**
 * The slow fault cases (the soak on each target, slowloris, Bun's own
 * header timer) run in `npm test` and in CI like every other case: the fault
 * suite is part of the promise. `LSKY_QUICK=1` leaves them out while
 * iterating locally; the skip message says so.
 */
export const SKIP_SLOW: string | false = process.env.LSKY_QUICK === "1" ? "slow case: left out by LSKY_QUICK=1" : false;

/**
 * The long load cases (the soak, the keep-alive and connection-storm
 * reloads) and the suites of what the engine and the supervisor do (faults,
 * timeouts, recycling, side processes: describeTargets' binaryStandsForBun)
 * measure the engine, and the binary is Bun: with the binary selected, the
 * same minutes on `bun dist/lsky.mjs` are left out, which keeps the CI run
 * under an hour. `LSKY_LOAD_ALL=1` runs them on both.
 */
export function skipBunBesideBinary(target: { name: string }, selected: ReadonlyArray<{ name: string }>): string | false {
  const binarySelected = selected.some((t) => t.name === "binary");
  return target.name === "bun" && binarySelected && process.env.LSKY_LOAD_ALL !== "1"
    ? "the binary runs this on Bun (LSKY_LOAD_ALL=1 runs it here too)"
    : false;
}
