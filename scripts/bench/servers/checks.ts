// The checks lsky makes on Bun and Deno.serve for promises those servers do
// not keep themselves (docs/RELIABILITY.md), written as plainly as a user
// would. Shared by the "checked" peers and the probe servers, so that both
// measure the same code.

export const MAX_HEADER_COUNT = 100;
export const MAX_HEADER_BYTES = 16 * 1024;

/** A missing, empty or repeated Host (engines join repeated fields with ", "). RFC 9112 3.2: 400. */
export function hostRefused(headers: Headers): boolean {
  const host = headers.get("host");
  return host === null || host.trim() === "" || host.includes(",");
}

/** More fields or header bytes than lsky's limits; visits every header. */
export function headersTooLarge(headers: Headers): boolean {
  let count = 0;
  let bytes = 0;
  for (const [name, value] of headers) {
    count++;
    bytes += name.length + value.length + 4;
  }
  return count > MAX_HEADER_COUNT || bytes > MAX_HEADER_BYTES;
}

/** An event stream, which must not be cut by Bun's idle timer while quiet. */
export function isEventStream(response: Response): boolean {
  return response.headers.get("content-type")?.startsWith("text/event-stream") ?? false;
}
