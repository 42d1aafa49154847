import type { Target } from "../harness/targets.ts";

/**
 * Where an engine answers a framing case differently from lsky's promise and
 * nothing at lsky's layer can change it (the engine's parser answers before
 * lsky sees a request). Each entry is documented in docs/RELIABILITY.md; the
 * suite asserts the engine keeps doing exactly this, so a change shows up.
 */
const GAPS: Record<Target["engine"], Record<string, string>> = {
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
  // llhttp (Node, and Deno's node:http) tolerates a doubled space between
  // method and target; the request is otherwise well formed.
  deno: { "two spaces in the request line": "200 kept" },
  node: { "two spaces in the request line": "200 kept" },
};

export function knownGap(engine: Target["engine"], name: string): string | undefined {
  return GAPS[engine][name];
}
