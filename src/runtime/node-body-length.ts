import { lightweightParts } from "./node-lightweight.ts";

/**
 * The byte length of a response body that @hono/node-server holds as it was
 * given (a string, bytes, or none), read without touching `response.body`:
 * that getter turns its lightweight response into a full undici one, whose
 * stream is then read chunk by chunk, which cut Node's throughput to a third
 * with `--access-log` or `--compress` on. Any other response gives undefined
 * (the caller reads the body instead).
 */
export function lightweightBodyLength(response: Response): number | undefined {
  const body = lightweightParts(response)?.[1];
  if (body === null) return 0;
  if (typeof body === "string") return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.byteLength;
  return undefined;
}
