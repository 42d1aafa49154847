import { type Cidr, cidrContains, parseCidr } from "./cidr.ts";
import { parseIp } from "./ip-address.ts";

/** Names for address groups, usable in `--trust-proxy` beside addresses and CIDRs. */
export const TRUST_KEYWORDS: Record<string, readonly string[]> = {
  loopback: ["127.0.0.0/8", "::1/128"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
};

/** Keywords that are not address groups: every peer, and peers on a Unix socket. */
const SPECIAL = ["all", "unix"] as const;

/**
 * Checks and normalises a `--trust-proxy` list (comma separated). Throws a
 * RangeError naming the first bad entry.
 */
export function parseTrustEntries(text: string): string[] {
  const entries = text.split(",").map((e) => e.trim().toLowerCase()).filter(Boolean);
  for (const entry of entries) {
    if (entry in TRUST_KEYWORDS || (SPECIAL as readonly string[]).includes(entry)) continue;
    try {
      parseCidr(entry);
    } catch (error) {
      const known = [...Object.keys(TRUST_KEYWORDS), ...SPECIAL].join(", ");
      throw new RangeError(`${(error as Error).message}; expected addresses, CIDRs or ${known}`);
    }
  }
  return entries;
}

const MEMO_SIZE = 4096;

/** Answers "is this peer one of my proxies?" for a compiled trust list. */
export interface TrustPolicy {
  /** `address` is the peer's IP as text, or undefined for a Unix-socket peer. */
  trusts(address: string | undefined): boolean;
  /**
   * True when every peer that can reach a listener on `host` is trusted:
   * `all`, or a loopback listener and a list covering the loopback network
   * it is on (127.0.0.0/8 for 127.x.y.z, ::1 for ::1). Then no request's peer
   * needs to be looked up to decide.
   */
  coversListener(host: string): boolean;
}

// Who can connect to a listener bound to one of these: the whole network.
const LOOPBACK_REACH: Record<string, readonly string[]> = {
  "::1": ["::1/128"],
  localhost: TRUST_KEYWORDS.loopback!,
};

function reachOf(host: string): Cidr[] {
  if (/^127\.\d+\.\d+\.\d+$/.test(host)) return [parseCidr("127.0.0.0/8")];
  return (LOOPBACK_REACH[host.toLowerCase()] ?? []).map(parseCidr);
}

/** True when `outer` contains every address of `inner`. */
function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  return outer.bits <= inner.bits && cidrContains(outer, inner.bytes);
}

export function compileTrust(entries: readonly string[]): TrustPolicy {
  const all = entries.includes("all");
  const unix = entries.includes("unix") || all;
  const networks: Cidr[] = entries.flatMap((entry) => {
    if ((SPECIAL as readonly string[]).includes(entry)) return [];
    return (TRUST_KEYWORDS[entry] ?? [entry]).map(parseCidr);
  });
  // The same few addresses (the proxies, then clients) come again and again;
  // a small memo spares parsing them on every request.
  const memo = new Map<string, boolean>();
  const lookUp = (address: string) => {
    const bytes = parseIp(address);
    return bytes !== undefined && networks.some((network) => cidrContains(network, bytes));
  };
  return {
    coversListener(host) {
      if (all) return true;
      const reach = reachOf(host);
      return reach.length > 0 && reach.every((inner) => networks.some((outer) => cidrCovers(outer, inner)));
    },
    trusts(address) {
      if (address === undefined || address === "") return unix;
      if (all) return true;
      let trusted = memo.get(address);
      if (trusted === undefined) {
        if (memo.size >= MEMO_SIZE) memo.clear();
        trusted = lookUp(address);
        memo.set(address, trusted);
      }
      return trusted;
    },
  };
}
