const REASONS: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  413: "Content Too Large",
  414: "URI Too Long",
  431: "Request Header Fields Too Large",
  504: "Gateway Timeout",
};

/**
 * The answer to a request lsky refuses. It always closes the connection: after
 * a refused request the rest of what the client sent (an unread body, a
 * smuggled request) must never be read as a new request.
 */
export function refusal(status: number): Response {
  const reason = REASONS[status] ?? "Error";
  const response = new Response(`${reason}\n`, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", connection: "close" },
  });
  refusals.add(response);
  return response;
}

const refusals = new WeakSet<Response>();

/** True for a response made by refusal(): adapters close the connection after it without reading its headers. */
export function isRefusal(response: Response): boolean {
  return refusals.has(response);
}
