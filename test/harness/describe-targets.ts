import { describe, type TestOptions } from "node:test";
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
  for (const target of selectedTargets()) describe(`${title} on ${target.name}`, options, () => body(target));
}
