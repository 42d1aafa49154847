import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { Buffer } from "node:buffer";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { heldBody } from "./held-bodies.ts";

/**
 * Writes a response whose body the app gave as a string or bytes straight to
 * node:http, and returns @hono/node-server's "already sent" marker; returns
 * undefined for any other response, which the general writer sends.
 *
 * Why: on Deno, @hono/node-server's writer meets Deno's own Response (lsky
 * does not swap in the lightweight class there), so it reads every body as a
 * stream, through a reader and promises, to learn its length. That was the
 * largest single cost of a small request on `--deno-server node` (about a
 * third of the worker's samples, a CPU profile under load). A body held in
 * memory (held-bodies.ts) is known whole: its length and bytes are at hand.
 */
export function sendHeldBody(outgoing: ServerResponse, response: Response): Response | undefined {
  const body = heldBody(response);
  // A Response cannot be made with a body and a bodiless status (204, 304):
  // a held string or bytes always has a status that carries it.
  if (typeof body !== "string" && !(body instanceof Uint8Array)) return undefined;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of response.headers) {
    // Headers joins every repeated field but Set-Cookie, which it yields once per cookie.
    if (name === "set-cookie") headers[name] ??= response.headers.getSetCookie();
    else headers[name] = value;
  }
  // The length of what is sent, whatever the app claimed (as Deno.serve does).
  headers["content-length"] = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
  const status = response.status;
  // Written once the request event is over: Deno's node:http served 3 to 8%
  // more small answers written from a microtask than from inside the event
  // (the same server and answer, alternating runs), as the general writer's
  // awaits did before this path existed.
  queueMicrotask(() => {
    outgoing.writeHead(status, headers);
    outgoing.end(body);
  });
  return RESPONSE_ALREADY_SENT;
}
