import assert from "node:assert/strict";
import { test } from "node:test";
import { exactText } from "./exact-text.ts";

const encode = (text: string) => new TextEncoder().encode(text);

test("UTF-8 bytes become text that encodes back to the same bytes, a byte order mark kept", () => {
  for (const text of ["", "plain ascii", "caf\u00e9 \u2603 \u{1f600}", "\ufeffwith a BOM"]) {
    const decoded = exactText(encode(text));
    assert.equal(decoded, text);
    assert.deepEqual(encode(decoded!), encode(text));
  }
});

test("bytes that are not UTF-8 stay bytes", () => {
  assert.equal(exactText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), undefined);
  assert.equal(exactText(new Uint8Array([0x61, 0xc3])), undefined);
  assert.equal(exactText(new Uint8Array([0xed, 0xa0, 0x80])), undefined);
});
