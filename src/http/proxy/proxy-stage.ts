import type { FetchHandler, LskyContext } from "../../runtime/types.ts";
import { type ClientInfo, forwardedInfo } from "./client-info.ts";
import { compileTrust } from "../../net/trust.ts";
import { withUrl } from "../request-url.ts";

export interface ProxyStageOptions {
  /** `--trust-proxy` entries, already checked. */
  trustProxy: readonly string[];
  /** `--https`: the app sees https URLs whatever the proxy says. */
  https: boolean;
  /** `--host`, when lsky listens on TCP (not `--listen unix:`). */
  host?: string;
}

// A forwarded host is copied into request.url: only host[:port] characters.
const HOST_PATTERN = /^(?:\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/i;

/**
 * The stage that makes the app see the request as the client sent it to the
 * proxy in front: the client's address in `context.remoteAddr`, and the
 * scheme and host in `request.url`. Returns undefined when neither option is
 * on, so the stage costs nothing by default. When nothing changes the
 * original request passes through untouched; when the URL changes the request
 * keeps its body, headers and signal and gets the new URL in place.
 */
export function createProxyStage(options: ProxyStageOptions): ((next: FetchHandler) => FetchHandler) | undefined {
  if (options.trustProxy.length === 0 && !options.https) return undefined;
  const policy = compileTrust(options.trustProxy);
  // Looking a peer up costs a system call on Bun (getpeername, 14% of a small
  // request's time): skipped when every peer that can connect is trusted.
  const trustEveryPeer = options.host !== undefined && policy.coversListener(options.host);
  return (next) => (request, context) => {
    const trusted = options.trustProxy.length > 0 && (trustEveryPeer || policy.trusts(peerOf(context)));
    const info: ClientInfo = trusted ? forwardedInfo(request.headers, policy) : {};
    if (options.https) info.proto = "https";
    const url = rewriteUrl(request.url, info);
    const forwardedContext = info.address ? withAddress(context, info.address) : context;
    return next(url === undefined ? request : withUrl(request, url), forwardedContext);
  };
}

function peerOf(context: LskyContext): string | undefined {
  const { remoteAddr } = context;
  return remoteAddr.transport === "unix" ? undefined : remoteAddr.hostname;
}

/** The request URL with the forwarded scheme and host, or undefined when it stays as it is. */
export function rewriteUrl(original: string, info: ClientInfo): string | undefined {
  const proto = info.proto?.toLowerCase();
  const useProto = proto === "http" || proto === "https" ? proto : undefined;
  const useHost = info.host ? checkedHost(info.host) : undefined;
  if (!useProto && !useHost) return undefined;
  // String surgery instead of new URL(): this runs on every proxied request.
  const schemeEnd = original.indexOf("://");
  const pathStart = original.indexOf("/", schemeEnd + 3);
  const scheme = useProto ?? original.slice(0, schemeEnd);
  const authority = withoutDefaultPort(useHost ?? original.slice(schemeEnd + 3, pathStart === -1 ? undefined : pathStart), scheme);
  const rewritten = `${scheme}://${authority}${pathStart === -1 ? "/" : original.slice(pathStart)}`;
  return rewritten === original ? undefined : rewritten;
}

// The same forwarded host comes on request after request: the last one checked is kept.
let lastHost = "";
let lastChecked: string | undefined;

/** The forwarded host in lower case, or undefined when it is not a plain host[:port]. */
function checkedHost(host: string): string | undefined {
  if (host !== lastHost) {
    lastHost = host;
    lastChecked = HOST_PATTERN.test(host) ? host.toLowerCase() : undefined;
  }
  return lastChecked;
}

function withoutDefaultPort(authority: string, scheme: string): string {
  const port = scheme === "https" ? ":443" : ":80";
  return authority.endsWith(port) ? authority.slice(0, -port.length) : authority;
}

function withAddress(context: LskyContext, address: string): LskyContext {
  // Set on the request's own context (lsky's RequestContext takes it in
  // place of the engine's peer): a copy of the context cost more than the
  // rest of the stage. The forwarded client's port is unknown (proxies
  // rarely send it).
  context.remoteAddr = { transport: "tcp", hostname: address, port: 0 };
  return context;
}
