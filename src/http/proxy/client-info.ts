import { nodeAddress, parseForwarded } from "./forwarded.ts";
import type { TrustPolicy } from "../../net/trust.ts";
import type { HeaderFields, HeaderRecord } from "../../runtime/types.ts";

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
  return policy.trusts(peer) ? forwardedInfo(headers, policy) : undefined;
}

/** What the headers say, for a request whose direct peer is already known to be trusted. */
export function forwardedInfo(headers: Headers, policy: TrustPolicy): ClientInfo {
  return infoFromValues(readProxyHeaders(headers), policy);
}

/** The values of the four headers proxies set, null where absent. */
export interface ProxyHeaderValues {
  forwarded: string | null;
  forwardedFor: string | null;
  forwardedProto: string | null;
  forwardedHost: string | null;
}

export function readProxyHeaders(headers: Headers): ProxyHeaderValues {
  return {
    forwarded: headers.get(PROXY_FIELD_NAMES.forwarded),
    forwardedFor: headers.get(PROXY_FIELD_NAMES.forwardedFor),
    forwardedProto: headers.get(PROXY_FIELD_NAMES.forwardedProto),
    forwardedHost: headers.get(PROXY_FIELD_NAMES.forwardedHost),
  };
}

/**
 * The same four values from the raw field list an engine parsed, in one pass:
 * names compared without case, a repeated field's values joined with ", " as
 * `Headers.get` joins them. Only a name of a matching length is lower-cased.
 */
export function readProxyFields(fields: HeaderFields): ProxyHeaderValues {
  const values: ProxyHeaderValues = { forwarded: null, forwardedFor: null, forwardedProto: null, forwardedHost: null };
  for (const [name, value] of fields) {
    const key = PROXY_FIELD_BY_LENGTH[name.length];
    if (key === undefined || name.toLowerCase() !== PROXY_FIELD_NAMES[key]) continue;
    const before = values[key];
    values[key] = before === null ? value : `${before}, ${value}`;
  }
  return values;
}

/**
 * The same four values from a record the engine keyed already (lower-case
 * names, repeated fields joined): four property reads, where `Headers.get`
 * on @hono/node-server's request checks and lower-cases each name first.
 */
export function readProxyRecord(record: HeaderRecord): ProxyHeaderValues {
  return {
    forwarded: recordValue(record[PROXY_FIELD_NAMES.forwarded]),
    forwardedFor: recordValue(record[PROXY_FIELD_NAMES.forwardedFor]),
    forwardedProto: recordValue(record[PROXY_FIELD_NAMES.forwardedProto]),
    forwardedHost: recordValue(record[PROXY_FIELD_NAMES.forwardedHost]),
  };
}

function recordValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === "string" ? value : value.join(", ");
}

const PROXY_FIELD_NAMES = {
  forwarded: "forwarded",
  forwardedFor: "x-forwarded-for",
  forwardedProto: "x-forwarded-proto",
  forwardedHost: "x-forwarded-host",
} as const satisfies Record<keyof ProxyHeaderValues, string>;

// The four names have four different lengths.
const PROXY_FIELD_BY_LENGTH: Record<number, keyof ProxyHeaderValues> = Object.fromEntries(
  Object.entries(PROXY_FIELD_NAMES).map(([key, name]) => [name.length, key as keyof ProxyHeaderValues]),
);

/** What the header values say, for a request whose direct peer is already known to be trusted. */
export function infoFromValues(values: ProxyHeaderValues, policy: TrustPolicy): ClientInfo {
  if (values.forwarded !== null) return fromForwarded(values.forwarded, policy);
  return fromXForwarded(values, policy);
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

function fromXForwarded(values: ProxyHeaderValues, policy: TrustPolicy): ClientInfo {
  const info: ClientInfo = {};
  eachFromRight(values.forwardedFor, (hop) => {
    info.address = nodeAddress(hop);
    return policy.trusts(info.address);
  });
  // The rightmost value was set by the proxy nearest to lsky (trusted);
  // values further left may come from the client.
  info.proto = lastOf(values.forwardedProto);
  info.host = lastOf(values.forwardedHost);
  return info;
}

/** The last non-empty entry of a comma-separated header, or undefined. */
function lastOf(value: string | null): string | undefined {
  let last: string | undefined;
  eachFromRight(value, (entry) => ((last = entry), false));
  return last;
}

/**
 * Calls `visit` with each non-empty entry of a comma-separated header,
 * trimmed, rightmost first, until it returns false. Walked without
 * splitting: this runs on every proxied request.
 */
function eachFromRight(value: string | null, visit: (entry: string) => boolean): void {
  let end = value === null ? -1 : value.length;
  while (end > 0) {
    const comma = value!.lastIndexOf(",", end - 1);
    const entry = value!.slice(comma + 1, end).trim();
    end = comma;
    if (entry !== "" && !visit(entry)) return;
  }
}
