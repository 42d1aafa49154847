import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LskyError } from "../errors.ts";
import { parseCommandArgs, serveOptionConfigs, settingFlags } from "./args.ts";

const options = serveOptionConfigs();

function usageError(args: string[]): LskyError {
  try {
    parseCommandArgs("serve", args, options);
  } catch (error) {
    assert.ok(error instanceof LskyError);
    return error;
  }
  assert.fail(`expected ${args.join(" ")} to be refused`);
}

describe("parseCommandArgs", () => {
  test("reads the entry and the setting flags", () => {
    const { values, positionals } = parseCommandArgs("serve", ["app.ts", "--port", "9000", "--dev"], options);
    assert.deepEqual(positionals, ["app.ts"]);
    assert.equal(values.port, "9000");
    assert.equal(values.dev, true);
  });

  test("an unknown flag is a usage error (exit 2) with a hint", () => {
    const error = usageError(["--bogus"]);
    assert.equal(error.message, 'Unknown option "--bogus"');
    assert.equal(error.exitCode, 2);
    assert.equal(error.hint, 'Run "lsky serve --help" for the options');
  });

  test("a flag without its value names the flag as typed", () => {
    assert.equal(usageError(["--port"]).message, 'Option "--port" needs a value');
  });

  test("a short flag without its value names the long flag", () => {
    const error = (() => {
      try {
        parseCommandArgs("compile", ["-o"], { outfile: { type: "string", short: "o" } });
      } catch (e) {
        return e as LskyError;
      }
      return assert.fail("expected a usage error");
    })();
    assert.equal(error.message, 'Option "--outfile" needs a value');
    assert.equal(error.hint, 'Run "lsky compile --help" for the options');
  });
});

describe("settingFlags", () => {
  test("keeps only the settings given, as text keyed by setting", () => {
    const { values } = parseCommandArgs("serve", ["--grace-period", "5s", "--watch"], options);
    assert.deepEqual(settingFlags(values), { gracePeriod: "5s", watch: "true" });
  });
});
