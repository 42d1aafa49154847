import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, test } from "node:test";
import { explainLoadError } from "./load-error.ts";

describe("explainLoadError", () => {
  test("lists Bun's build messages with file, line and column", () => {
    const bunError = Object.assign(new AggregateError([], '2 errors building "/srv/app.ts"'), {
      errors: [
        { message: 'Expected identifier but found ":"', position: { file: "/srv/app.ts", line: 2, column: 9 } },
        { message: 'Expected "}" but found ";"', position: { file: "/srv/app.ts", line: 3, column: 2 } },
      ],
    });
    const explained = explainLoadError(bunError) as Error;
    assert.ok(explained instanceof SyntaxError);
    assert.equal(explained.message, 'Expected identifier but found ":" (/srv/app.ts:2:9)');
    assert.equal(explained.stack,
      'SyntaxError: Expected identifier but found ":" (/srv/app.ts:2:9)\nSyntaxError: Expected "}" but found ";" (/srv/app.ts:3:2)');
  });

  test("lists esbuild's errors with an absolute path and a 1-based column", () => {
    const esbuildError = Object.assign(new Error("Build failed with 1 error: ..."), {
      errors: [{ text: "Unexpected end of file", location: { file: "src/app.ts", line: 7, column: 0 } }],
    });
    assert.equal((explainLoadError(esbuildError) as Error).stack,
      `SyntaxError: Unexpected end of file (${resolve("src/app.ts")}:7:1)`);
  });

  test("keeps any other error as it is", () => {
    const plain = new Error("database unreachable");
    assert.equal(explainLoadError(plain), plain);
    assert.equal(explainLoadError("a string"), "a string");
    const odd = Object.assign(new Error("x"), { errors: [{ code: 1 }] });
    assert.equal(explainLoadError(odd), odd);
  });
});
