import { after, before, describe, type TestOptions } from "node:test";
import { killStartedSince, spawnMark } from "./lsky.ts";
import { skipBunBesideBinary } from "./slow.ts";
import { selectedTargets, type Target } from "./targets.ts";

export interface SuiteOptions extends TestOptions {
  /**
   * The suite tests what the engine and the supervisor do (faults, timeouts,
   * recycling, side processes), not how lsky or the app is loaded: with the
   * binary selected, the binary runs it on Bun, and `bun dist/lsky.mjs`,
   * which differs from it only in the program each process loads, leaves it
   * out (skipBunBesideBinary; LSKY_LOAD_ALL=1 runs both).
   */
  binaryStandsForBun?: boolean;
}

/**
 * One suite per selected target (all, or those in LSKY_TEST_TARGETS), named
 * `<title> on <target>`: the shape of every integration file. Kept apart from
 * targets.ts, which the bench scripts import without a test runner.
 */
export function describeTargets(title: string, body: (target: Target) => void): void;
export function describeTargets(title: string, options: SuiteOptions, body: (target: Target) => void): void;
export function describeTargets(
  title: string,
  optionsOrBody: SuiteOptions | ((target: Target) => void),
  maybeBody?: (target: Target) => void,
): void {
  const [{ binaryStandsForBun, ...options }, body] = typeof optionsOrBody === "function" ? [{}, optionsOrBody] : [optionsOrBody, maybeBody!];
  for (const target of selectedTargets()) {
    const skip = options.skip || (binaryStandsForBun === true && skipBunBesideBinary(target, selectedTargets()));
    describe(`${title} on ${target.name}`, { ...options, skip }, () => {
      // Whatever a failed test of this suite left running is stopped before
      // the next target's suite starts in the same directory.
      // Registered around the body's own hooks: the mark before theirs, the
      // kill after theirs (a suite's own after hook may still stop its server).
      let mark = 0;
      before(() => void (mark = spawnMark()));
      body(target);
      after(() => killStartedSince(mark));
    });
  }
}
