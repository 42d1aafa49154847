import type { RemoteAddr } from "../../runtime/types.ts";
import type { TrustPolicy } from "../../net/trust.ts";
import { type ClientInfo, infoFromValues, type ProxyHeaderValues } from "./client-info.ts";

/**
 * What a request's proxy headers mean for the app. A proxy sends the same
 * headers (its own scheme and host, often the same client) request after
 * request, so the answer is kept and used again while they and the origin
 * the request came in on stay the same: parsing them anew cost about 8% of
 * Bun's throughput on a small request (docs/BENCHMARKS.md, options).
 */
export interface Forwarding {
  /** The origin (`scheme://host[:port]`) the request came in on. */
  from: string;
  /** The origin the app sees instead, or undefined when it stays the same. */
  to: string | undefined;
  /** The forwarded client (frozen: shared by the requests it is kept for), or undefined. */
  remoteAddr: RemoteAddr | undefined;
}

/** `values` is undefined when the peer is not trusted: its proxy headers are ignored. */
export type ForwardingReader = (values: ProxyHeaderValues | undefined, url: string) => Forwarding;

const UNTRUSTED: ProxyHeaderValues = { forwarded: null, forwardedFor: null, forwardedProto: null, forwardedHost: null };

export function createForwardingReader(policy: TrustPolicy, https: boolean): ForwardingReader {
  let lastValues = UNTRUSTED;
  let last: Forwarding | undefined;
  return (given, url) => {
    const values = given ?? UNTRUSTED;
    if (last === undefined || !sameValues(values, lastValues) || !hasOrigin(url, last.from)) {
      lastValues = values;
      last = workOut(values, url, policy, https);
    }
    return last;
  };
}

/** The request's URL as the app sees it. */
export function forwardedUrl(url: string, forwarding: Forwarding): string | undefined {
  if (forwarding.to === undefined) return undefined;
  return forwarding.to + (url.length === forwarding.from.length ? "/" : url.slice(forwarding.from.length));
}

function workOut(values: ProxyHeaderValues, url: string, policy: TrustPolicy, https: boolean): Forwarding {
  const info: ClientInfo = values === UNTRUSTED ? {} : infoFromValues(values, policy);
  if (https) info.proto = "https";
  const pathStart = url.indexOf("/", url.indexOf("://") + 3);
  const from = pathStart === -1 ? url : url.slice(0, pathStart);
  const to = rewriteUrl(`${from}/`, info)?.slice(0, -1);
  // The forwarded client's port is unknown (proxies rarely send it).
  const remoteAddr = info.address ? Object.freeze({ transport: "tcp" as const, hostname: info.address, port: 0 }) : undefined;
  return { from, to, remoteAddr };
}

function sameValues(a: ProxyHeaderValues, b: ProxyHeaderValues): boolean {
  return a.forwardedFor === b.forwardedFor && a.forwardedProto === b.forwardedProto && a.forwardedHost === b.forwardedHost && a.forwarded === b.forwarded;
}

/** True when `url` is `origin` followed by nothing or a path. */
function hasOrigin(url: string, origin: string): boolean {
  return url.startsWith(origin) && (url.length === origin.length || url.charCodeAt(origin.length) === SLASH);
}

const SLASH = 47;

// A forwarded host is copied into request.url: only host[:port] characters.
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/i;

/** The request URL with the forwarded scheme and host, or undefined when it stays as it is. */
export function rewriteUrl(original: string, info: ClientInfo): string | undefined {
  const proto = info.proto?.toLowerCase();
  const useProto = proto === "http" || proto === "https" ? proto : undefined;
  const useHost = info.host && HOST_PATTERN.test(info.host) ? info.host.toLowerCase() : undefined;
  if (!useProto && !useHost) return undefined;
  const schemeEnd = original.indexOf("://");
  const pathStart = original.indexOf("/", schemeEnd + 3);
  const scheme = useProto ?? original.slice(0, schemeEnd);
  const authority = withoutDefaultPort(useHost ?? original.slice(schemeEnd + 3, pathStart === -1 ? undefined : pathStart), scheme);
  const rewritten = `${scheme}://${authority}${pathStart === -1 ? "/" : original.slice(pathStart)}`;
  return rewritten === original ? undefined : rewritten;
}

function withoutDefaultPort(authority: string, scheme: string): string {
  const port = scheme === "https" ? ":443" : ":80";
  return authority.endsWith(port) ? authority.slice(0, -port.length) : authority;
}
