import { isIPv4, isIPv6 } from "node:net";

/**
 * An IP address as 4 or 16 bytes. IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`, as Node reports peers of a dual-stack listener) are
 * turned into their IPv4 form so `127.0.0.1` rules match them.
 */
export type IpBytes = Uint8Array;

/** Parses an IPv4 or IPv6 address (brackets and a zone id allowed); undefined when it is not one. */
export function parseIp(text: string): IpBytes | undefined {
  let address = text.trim();
  if (address.startsWith("[") && address.endsWith("]")) address = address.slice(1, -1);
  const zone = address.indexOf("%");
  if (zone !== -1) address = address.slice(0, zone);
  if (isIPv4(address)) return Uint8Array.from(address.split(".").map(Number));
  if (!isIPv6(address)) return undefined;
  const bytes = parseIpv6(address);
  return isIpv4Mapped(bytes) ? bytes.slice(12) : bytes;
}

function parseIpv6(address: string): IpBytes {
  const groups = expandGroups(dottedTailToHex(address));
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** `::ffff:1.2.3.4` -> `::ffff:102:304`: a trailing dotted quad is two 16-bit groups. */
function dottedTailToHex(address: string): string {
  const lastColon = address.lastIndexOf(":");
  const tail = address.slice(lastColon + 1);
  if (!tail.includes(".")) return address;
  const [a, b, c, d] = tail.split(".").map(Number) as [number, number, number, number];
  return `${address.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/** The eight 16-bit groups, with `::` filled with zeros. */
function expandGroups(address: string): number[] {
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const halves = address.split("::");
  if (halves.length === 1) return parse(address);
  const left = parse(halves[0]!);
  const right = parse(halves[1]!);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function isIpv4Mapped(bytes: IpBytes): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}
