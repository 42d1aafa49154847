import type { FetchHandler } from "../runtime/types.ts";

/**
 * The handler of the `--http-redirect` listener: every request is sent to
 * the same host, path and query over HTTPS with 308 (method and body kept).
 */
export function createHttpsRedirect(httpsPort: number): FetchHandler {
  const portPart = httpsPort === 443 ? "" : `:${httpsPort}`;
  return (request) => {
    const url = new URL(request.url);
    const host = url.hostname.includes(":") && !url.hostname.startsWith("[") ? `[${url.hostname}]` : url.hostname;
    const location = `https://${host}${portPart}${url.pathname}${url.search}`;
    return new Response(null, { status: 308, headers: { location, "content-length": "0" } });
  };
}
