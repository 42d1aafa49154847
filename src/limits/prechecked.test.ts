import assert from "node:assert/strict";
import { test } from "node:test";
import { checkRawHead, Prechecked } from "./prechecked.ts";

const LIMITS = { maxHeaderSize: 200, maxHeaderCount: 4, maxUrlLength: 20, maxBodySize: 100 };
const head = (url: string, fields: [string, string][] = [["Host", "h"]]) => ({
  url,
  rawHeaders: fields.flat(),
  headers: Object.fromEntries(fields.map(([n, v]) => [n.toLowerCase(), v])),
});

test("a plain GET goes on without a body; a declared or chunked body is noted", () => {
  assert.deepEqual(checkRawHead(head("/"), LIMITS), { kind: Prechecked.WithoutBody });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["Content-Length", "0"]]), LIMITS), { kind: Prechecked.WithoutBody });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["Content-Length", "5"]]), LIMITS), { kind: Prechecked.WithBody });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["Transfer-Encoding", "chunked"]]), LIMITS), { kind: Prechecked.WithBody });
});

test("refuses what the limits stage would, with the same statuses", () => {
  assert.deepEqual(checkRawHead(head(`/${"a".repeat(20)}`), LIMITS), { status: 414 });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["a", "1"], ["b", "2"], ["c", "3"], ["d", "4"]]), LIMITS), { status: 431 });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["x", "v".repeat(200)]]), LIMITS), { status: 431 });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["Content-Length", "5"], ["Transfer-Encoding", "chunked"]]), LIMITS), { status: 400 });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["Transfer-Encoding", "gzip"]]), LIMITS), { status: 400 });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["Content-Length", "12x"]]), LIMITS), { status: 400 });
  assert.deepEqual(checkRawHead(head("/", [["Host", "h"], ["Content-Length", "101"]]), LIMITS), { status: 413 });
});
