import type { ServerResponse } from "node:http";

// Statuses that never carry a body, hence no Content-Length either.
const NO_BODY_STATUSES = new Set([101, 103, 204, 304]);

/**
 * On Deno, lsky serves through node:http and @hono/node-server's response
 * writer, which does not send what Deno.serve (the app's engine run directly)
 * sends: it gives a body without a content type "text/plain; charset=UTF-8"
 * (a stream() response), a response without a body no Content-Length
 * (Deno.serve says "content-length: 0" on a redirect or a HEAD answer), and
 * when the body fails before the head went out it answers its own 500 with
 * the error's message. The header record is corrected as the writer hands it
 * to writeHead; a failed body breaks the connection instead, as on Deno.serve,
 * and its message stays in the log.
 */
export function keepDenoHeaderDefaults(outgoing: ServerResponse, response: Response): void {
  if (!(response instanceof Response)) return;
  const dropContentType = response.body !== null && !response.headers.has("content-type");
  const addZeroLength = response.body === null && !NO_BODY_STATUSES.has(response.status) && !response.headers.has("content-length");
  if (response.body === null && !addZeroLength) return;
  const writeHead = outgoing.writeHead;
  outgoing.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (status !== response.status) return breakResponse(this);
    const headers = rest.find((arg): arg is Record<string, unknown> => typeof arg === "object" && arg !== null && !Array.isArray(arg));
    if (headers && dropContentType) delete headers["content-type"];
    if (headers && addZeroLength && headers["content-length"] === undefined) headers["content-length"] = 0;
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse["writeHead"];
}

// The writer's own error answer (status other than the app's): nothing of it is sent.
function breakResponse(outgoing: ServerResponse): ServerResponse {
  outgoing.end = (() => outgoing) as ServerResponse["end"];
  outgoing.destroy();
  return outgoing;
}
