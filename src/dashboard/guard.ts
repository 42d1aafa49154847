import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";

/**
 * Who may use the admin listener's dashboard. The listener has no login; what
 * keeps another web page from using it through a visitor's browser is:
 * - the Host header must name this listener by IP or as "localhost" (or the
 *   configured admin host), which defeats DNS rebinding;
 * - a browser's request from another origin is refused: `Sec-Fetch-Site`
 *   other than same-origin/none, or an `Origin` that is not this listener
 *   (top-level navigations to the page itself excepted: a link is harmless);
 * - actions need `Authorization: Bearer <token>`, a header no form can send
 *   and no cross-origin script can add without a CORS preflight, which is
 *   never answered with CORS headers.
 */
export function refuseForeign(request: Request, adminHost: string): Response | undefined {
  const host = request.headers.get("host") ?? "";
  if (!hostAllowed(host, adminHost)) return refuse(`Host "${host}" is not this admin listener`);
  const site = request.headers.get("sec-fetch-site");
  const navigation = request.method === "GET" && request.headers.get("sec-fetch-mode") === "navigate";
  if (site && site !== "same-origin" && site !== "none" && !navigation) return refuse("Cross-origin requests are refused");
  const origin = request.headers.get("origin");
  if (origin && origin !== "null" && origin !== `${new URL(request.url).protocol}//${host}`) {
    return refuse(`Origin "${origin}" is not this admin listener`);
  }
  if (origin === "null") return refuse("Requests from an opaque origin are refused");
  return undefined;
}

/** Refuses an action whose bearer token is missing or wrong (compared in constant time). */
export function refuseWithoutToken(request: Request, token: string): Response | undefined {
  const given = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (token !== "" && a.length === b.length && timingSafeEqual(a, b)) return undefined;
  return Response.json(
    { error: given ? "Wrong token" : "This action needs the admin token (Authorization: Bearer TOKEN)" },
    { status: 401, headers: { "www-authenticate": 'Bearer realm="lsky admin"' } },
  );
}

export function hostAllowed(hostHeader: string, adminHost: string): boolean {
  const hostname = hostOf(hostHeader).toLowerCase();
  if (hostname === "") return false;
  return isIP(hostname) !== 0 || hostname === "localhost" || hostname === adminHost.toLowerCase();
}

function hostOf(hostHeader: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hostHeader);
  if (bracketed) return bracketed[1]!;
  return hostHeader.replace(/:\d+$/, "");
}

function refuse(message: string): Response {
  return Response.json({ error: message }, { status: 403 });
}
