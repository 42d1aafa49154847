import { after, before, describe, type TestOptions } from "node:test";
import { killStartedSince, spawnMark } from "./lsky.ts";
import { selectedTargets, type Target } from "./targets.ts";

/**
 * One suite per selected target (all, or those in LSKY_TEST_TARGETS), named
 * `<title> on <target>`: the shape of every integration file. Kept apart from
 * targets.ts, which the bench scripts import without a test runner.
 */
export function describeTargets(title: string, body: (target: Target) => void): void;
export function describeTargets(title: string, options: TestOptions, body: (target: Target) => void): void;
export function describeTargets(
  title: string,
  optionsOrBody: TestOptions | ((target: Target) => void),
  maybeBody?: (target: Target) => void,
): void {
  const [options, body] = typeof optionsOrBody === "function" ? [{}, optionsOrBody] : [optionsOrBody, maybeBody!];
  for (const target of selectedTargets()) {
    describe(`${title} on ${target.name}`, options, () => {
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
