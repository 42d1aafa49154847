import assert from "node:assert/strict";
import { test } from "node:test";
import { cidrContains, parseCidr } from "./cidr.ts";
import { parseIp } from "./ip-address.ts";

const inNet = (cidr: string, ip: string) => cidrContains(parseCidr(cidr), parseIp(ip)!);

test("IPv4 networks match by prefix", () => {
  assert.equal(inNet("10.0.0.0/8", "10.200.3.4"), true);
  assert.equal(inNet("10.0.0.0/8", "11.0.0.1"), false);
  assert.equal(inNet("172.16.0.0/12", "172.31.255.255"), true);
  assert.equal(inNet("172.16.0.0/12", "172.32.0.0"), false);
  assert.equal(inNet("192.168.1.7", "192.168.1.7"), true);
  assert.equal(inNet("192.168.1.7", "192.168.1.8"), false);
  assert.equal(inNet("0.0.0.0/0", "8.8.8.8"), true);
});

test("IPv6 networks match by prefix, with :: expanded", () => {
  assert.equal(inNet("::1", "::1"), true);
  assert.equal(inNet("::1/128", "::2"), false);
  assert.equal(inNet("fc00::/7", "fd12:3456::1"), true);
  assert.equal(inNet("fc00::/7", "fe80::1"), false);
  assert.equal(inNet("2001:db8::/32", "2001:db8:ffff::1"), true);
  assert.equal(inNet("2001:db8::/33", "2001:db8:8000::1"), false);
});

test("IPv4-mapped IPv6 peers match IPv4 rules, never IPv6 ones", () => {
  assert.equal(inNet("127.0.0.0/8", "::ffff:127.0.0.1"), true);
  assert.equal(inNet("::ffff:10.0.0.0/104", "10.1.2.3"), true);
  assert.equal(inNet("::1", "127.0.0.1"), false);
});

test("addresses parse with brackets and zone ids; junk does not", () => {
  assert.deepEqual([...parseIp("[::1]")!], [...parseIp("::1")!]);
  assert.deepEqual([...parseIp("fe80::1%eth0")!], [...parseIp("fe80::1")!]);
  assert.equal(parseIp("not-an-ip"), undefined);
  assert.equal(parseIp("300.1.1.1"), undefined);
  assert.equal(parseIp("_hidden"), undefined);
});

test("bad CIDRs throw RangeErrors that name them", () => {
  assert.throws(() => parseCidr("10.0.0.0/33"), /"10\.0\.0\.0\/33" has a prefix length outside 0-32/);
  assert.throws(() => parseCidr("10.0.0.0/x"), /bad prefix/);
  assert.throws(() => parseCidr("example.com"), /"example\.com" is not an IP address or CIDR/);
});
