import type { FetchHandler, LskyContext } from "../../runtime/types.ts";
import { type ClientInfo, resolveClientInfo } from "./client-info.ts";
import { compileTrust } from "../../net/trust.ts";
import { withUrl } from "../request-url.ts";

export interface ProxyStageOptions {
  /** `--trust-proxy` entries, already checked. */
  trustProxy: readonly string[];
  /** `--https`: the app sees https URLs whatever the proxy says. */
  https: boolean;
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
  return (next) => (request, context) => {
    const peer = context.remoteAddr.transport === "unix" ? undefined : context.remoteAddr.hostname;
    const info: ClientInfo = (options.trustProxy.length > 0 && resolveClientInfo(peer, request.headers, policy)) || {};
    if (options.https) info.proto = "https";
    const url = rewriteUrl(request.url, info);
    const forwardedContext = info.address ? withAddress(context, info.address) : context;
    return next(url === undefined ? request : withUrl(request, url), forwardedContext);
  };
}

/** The request URL with the forwarded scheme and host, or undefined when it stays as it is. */
export function rewriteUrl(original: string, info: ClientInfo): string | undefined {
  const proto = info.proto?.toLowerCase();
  const useProto = proto === "http" || proto === "https" ? proto : undefined;
  const useHost = info.host && HOST_PATTERN.test(info.host) ? info.host.toLowerCase() : undefined;
  if (!useProto && !useHost) return undefined;
  // String surgery instead of new URL(): this runs on every proxied request.
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

function withAddress(context: LskyContext, address: string): LskyContext {
  // The forwarded client's port is unknown (proxies rarely send it).
  return { ...context, remoteAddr: { transport: "tcp", hostname: address, port: 0 } };
}
