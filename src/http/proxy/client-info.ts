import { nodeAddress, parseForwarded } from "./forwarded.ts";
import type { TrustPolicy } from "../../net/trust.ts";

/** What the proxies in front say about the original request. */
export interface ClientInfo {
  address?: string;
  proto?: string;
  host?: string;
}

/**
 * Works out the original client from the proxy headers, believing them only
 * as far as the chain of trusted proxies reaches: starting at the direct
 * peer, each hop is walked right to left while it is trusted; the first
 * untrusted hop is the client. Returns undefined when the peer itself is not
 * trusted (a client cannot forge its address by sending the headers).
 *
 * `Forwarded` (RFC 7239) wins over `X-Forwarded-*` when both are present.
 */
export function resolveClientInfo(peer: string | undefined, headers: Headers, policy: TrustPolicy): ClientInfo | undefined {
  if (!policy.trusts(peer)) return undefined;
  const forwarded = headers.get("forwarded");
  if (forwarded !== null) return fromForwarded(forwarded, policy);
  return fromXForwarded(headers, policy);
}

function fromForwarded(header: string, policy: TrustPolicy): ClientInfo {
  const elements = parseForwarded(header);
  // Each element's proto and host describe the request its proxy received,
  // so they are taken from the element naming the client.
  for (let i = elements.length - 1; i >= 0; i--) {
    const element = elements[i]!;
    const address = element.for === undefined ? undefined : nodeAddress(element.for);
    if (i > 0 && address !== undefined && policy.trusts(address)) continue;
    return { address, proto: element.proto, host: element.host };
  }
  return {};
}

function fromXForwarded(headers: Headers, policy: TrustPolicy): ClientInfo {
  const info: ClientInfo = {};
  const chain = splitList(headers.get("x-forwarded-for"));
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = nodeAddress(chain[i]!);
    info.address = address;
    if (!policy.trusts(address)) break;
  }
  // The rightmost value was set by the proxy nearest to lsky (trusted);
  // values further left may come from the client.
  info.proto = lastOf(headers.get("x-forwarded-proto"));
  info.host = lastOf(headers.get("x-forwarded-host"));
  return info;
}

function splitList(value: string | null): string[] {
  return value === null ? [] : value.split(",").map((s) => s.trim()).filter(Boolean);
}

function lastOf(value: string | null): string | undefined {
  return splitList(value).at(-1);
}
