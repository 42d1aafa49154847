import { type IpBytes, parseIp } from "./ip-address.ts";

/** A network: an address and how many leading bits must match. */
export interface Cidr {
  bytes: IpBytes;
  bits: number;
}

/**
 * Parses `10.0.0.0/8`, `fd00::/8` or a bare address (all bits). Throws a
 * RangeError naming the bad entry, for the settings parser to report.
 */
export function parseCidr(text: string): Cidr {
  const [address = "", prefix] = text.trim().split("/");
  const bytes = parseIp(address);
  if (!bytes) throw new RangeError(`"${text.trim()}" is not an IP address or CIDR`);
  // A mapped address came back as IPv4; its prefix counted the 96-bit IPv6 head.
  const mappedShift = bytes.length === 4 && address.includes(":") ? 96 : 0;
  const max = bytes.length * 8;
  if (prefix === undefined) return { bytes, bits: max };
  if (!/^\d+$/.test(prefix)) throw new RangeError(`"${text.trim()}" has a bad prefix length`);
  const bits = Number(prefix) - mappedShift;
  if (bits < 0 || bits > max) throw new RangeError(`"${text.trim()}" has a prefix length outside 0-${max + mappedShift}`);
  return { bytes, bits };
}

/** True when the address lies in the network (an IPv4 address never matches an IPv6 network). */
export function cidrContains(cidr: Cidr, address: IpBytes): boolean {
  if (cidr.bytes.length !== address.length) return false;
  const whole = cidr.bits >> 3;
  for (let i = 0; i < whole; i++) if (cidr.bytes[i] !== address[i]) return false;
  const rest = cidr.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (cidr.bytes[whole]! & mask) === (address[whole]! & mask);
}
