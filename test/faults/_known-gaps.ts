import type { ServerKey } from "./_server-variants.ts";

/**
 * Where an engine answers a framing case differently from lsky's promise and
 * nothing at lsky's layer can change it (the engine's parser answers before
 * lsky sees a request). Each entry is documented in docs/RELIABILITY.md; the
 * suite asserts the engine keeps doing exactly this, so a change shows up.
 */
// Deno.serve (Deno's default) answers a refusal but keeps reading the
// connection (Connection: close in a response does not stop it), closes on a
// bad chunk without an answer, and answers 400 where lsky promises 505.
const REFUSED_KEPT = ["missing Host", "Host with a comma list", "missing Host, then a pipelined request", "URL over the limit",
  "URL over the limit, then a pipelined request", "header section over the limit", "too many header fields", "chunked body crossing the limit"];
const BAD_CHUNKS = ["chunk size not hex", "chunk size with 0x prefix", "chunk size negative", "chunk size overflowing 64 bits",
  "chunk data longer than its size", "chunk data not followed by CRLF", "chunk size line ended by bare LF",
  "chunk-ext with a control character", "empty chunk size"];
const VERSIONS_AS_400 = ["HTTP/0.9 request line", "malformed version HTTP/1.1.1", "version HTTP/2.0 on HTTP/1 framing", "version HTTP/3.0"];
// A declared body over the limit is refused before it is read; Deno then waits for it.
const DECLARED_BODY_WAITED = ["declared body over the limit, smuggled request as its body", "declared body over the limit",
  "Expect: 100-continue with a body over the limit"];

const DENO_SERVE: Record<string, string> = Object.fromEntries([
  ...REFUSED_KEPT.map((name) => [name, name.includes("URL") ? "414 kept" : name.includes("header") ? "431 kept" : name.includes("chunked") ? "413 kept" : "400 kept"]),
  ...BAD_CHUNKS.map((name) => [name, "no response closed"]),
  ...VERSIONS_AS_400.map((name) => [name, "400 closed"]),
  ...DECLARED_BODY_WAITED.map((name) => [name, "413 left open"]),
  // hyper takes bare LF as a line ending.
  ["bare LF line endings", "200 kept"],
]);

const GAPS: Record<ServerKey, Record<string, string>> = {
  bun: {
    // Bun's parser is stricter than RFC 9112 here (quoted chunk-ext values and
    // a leading empty line are allowed), and answers 505 to request lines it
    // cannot split. Both refuse and close; neither lets anything through.
    "chunked with quoted chunk-ext": "400 closed",
    "empty line before the request line": "400 closed",
    "NUL in the request target": "505 closed",
    "space inside the request target": "505 closed",
    "lower-case protocol name": "505 closed",
  },
  deno: DENO_SERVE,
  // llhttp (Node, and Deno's node:http) tolerates a doubled space between
  // method and target; the request is otherwise well formed.
  "deno node:http": { "two spaces in the request line": "200 kept" },
  node: { "two spaces in the request line": "200 kept" },
};

export function knownGap(server: ServerKey, name: string): string | undefined {
  return GAPS[server][name];
}
