/**
 * Returns a response that tells the client the connection closes after it.
 * Response headers can be immutable (e.g. `Response.redirect`, a proxied
 * `fetch` response), so on failure the response is rebuilt around the same
 * body stream without reading it.
 */
export function withConnectionClose(response: Response): Response {
  try {
    response.headers.set("connection", "close");
    return response;
  } catch {
    const headers = new Headers(response.headers);
    headers.set("connection", "close");
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
