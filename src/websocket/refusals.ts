/** The answer to an upgrade lsky refuses itself (the app never sees it become a socket). */
export function refuseUpgrade(status: 426 | 503, message: string): Response {
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8" };
  if (status === 426) headers.upgrade = "websocket";
  if (status === 503) headers["retry-after"] = "1";
  return new Response(`${message}\n`, { status, headers });
}
