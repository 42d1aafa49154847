import type { FetchHandler, HeaderFields, HeaderRecord, LskyContext } from "../../runtime/types.ts";
import { compileTrust } from "../../net/trust.ts";
import { withUrl } from "../request-url.ts";
import { createForwardingReader, forwardedUrl } from "./forwarding.ts";
import { type ProxyHeaderValues, readProxyFields, readProxyHeaders, readProxyRecord } from "./client-info.ts";

export interface ProxyStageOptions {
  /** `--trust-proxy` entries, already checked. */
  trustProxy: readonly string[];
  /** `--https`: the app sees https URLs whatever the proxy says. */
  https: boolean;
  /** `--host`, when lsky listens on TCP (not `--listen unix:`). */
  host?: string;
  /** The raw header fields the engine already read for this request (EngineAdapter.headerFields). */
  headerFields?: (request: Request) => HeaderFields | undefined;
  /** The engine's way to give a request another URL in place (EngineAdapter.replaceUrl). */
  replaceUrl?: (request: Request, url: string) => Request | undefined;
  /** The fields as the engine keyed them already (EngineAdapter.headerRecord). */
  headerRecord?: (context: LskyContext) => HeaderRecord | undefined;
}

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
  const read = createForwardingReader(policy, options.https);
  // Looking a peer up costs a system call on Bun (getpeername, 14% of a small
  // request's time): skipped when every peer that can connect is trusted.
  const trustEveryPeer = options.host !== undefined && policy.coversListener(options.host);
  const { replaceUrl } = options;
  const readValues = proxyValuesReader(options);
  const setUrl = replaceUrl ? (request: Request, url: string) => replaceUrl(request, url) ?? withUrl(request, url) : withUrl;
  return (next) => (request, context) => {
    const trusted = options.trustProxy.length > 0 && (trustEveryPeer || policy.trusts(peerOf(context)));
    const url = request.url;
    const forwarding = read(trusted ? readValues(request, context) : undefined, url);
    // Set on the request's own context (lsky's RequestContext takes it in
    // place of the engine's peer): a copy of the context cost more than the
    // rest of the stage.
    if (forwarding.remoteAddr) context.remoteAddr = forwarding.remoteAddr;
    const rewritten = forwardedUrl(url, forwarding);
    return next(rewritten === undefined ? request : setUrl(request, rewritten), context);
  };
}

/**
 * Where the four proxy fields are read from: Deno builds its raw field list
 * anew on each read (about 0.3 us), so the one lsky's own checks walked is
 * used again when the adapter still has it; Node keyed every field already
 * (IncomingMessage.headers); elsewhere the request's Headers.
 */
function proxyValuesReader(options: ProxyStageOptions): (request: Request, context: LskyContext) => ProxyHeaderValues {
  const { headerFields, headerRecord } = options;
  if (headerFields) return (request) => {
    const fields = headerFields(request);
    return fields ? readProxyFields(fields) : readProxyHeaders(request.headers);
  };
  if (headerRecord) return (request, context) => {
    const record = headerRecord(context);
    return record ? readProxyRecord(record) : readProxyHeaders(request.headers);
  };
  return (request) => readProxyHeaders(request.headers);
}

function peerOf(context: LskyContext): string | undefined {
  const { remoteAddr } = context;
  return remoteAddr.transport === "unix" ? undefined : remoteAddr.hostname;
}
