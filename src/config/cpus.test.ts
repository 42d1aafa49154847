import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { availableCpus, parseCgroupV1, parseCgroupV2, readCgroupQuota } from "./cpus.ts";

describe("parseCgroupV2", () => {
  test("divides the quota by the period", () => {
    assert.equal(parseCgroupV2("150000 100000\n"), 1.5);
    assert.equal(parseCgroupV2("50000 100000"), 0.5);
  });
  test("max means no quota", () => {
    assert.equal(parseCgroupV2("max 100000\n"), undefined);
  });
  for (const bad of ["", "garbage", "100000", "0 100000", "abc 100000", "100000 0"]) {
    test(`${JSON.stringify(bad)} gives no quota`, () => assert.equal(parseCgroupV2(bad), undefined));
  }
});

describe("parseCgroupV1", () => {
  test("divides the quota by the period", () => {
    assert.equal(parseCgroupV1("200000\n", "100000\n"), 2);
  });
  test("-1 means no quota", () => {
    assert.equal(parseCgroupV1("-1\n", "100000\n"), undefined);
  });
  test("an unreadable period gives no quota", () => {
    assert.equal(parseCgroupV1("200000", "x"), undefined);
    assert.equal(parseCgroupV1("200000", "0"), undefined);
  });
});

describe("readCgroupQuota", () => {
  const files = (entries: Record<string, string>) => (path: string) => entries[path];

  test("prefers cgroup v2's cpu.max", () => {
    const read = files({
      "/sys/fs/cgroup/cpu.max": "250000 100000",
      "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "100000",
      "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000",
    });
    assert.equal(readCgroupQuota(read), 2.5);
  });

  test("an unlimited v2 cgroup has no quota, even if v1 files exist", () => {
    const read = files({ "/sys/fs/cgroup/cpu.max": "max 100000", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "100000", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000" });
    assert.equal(readCgroupQuota(read), undefined);
  });

  test("falls back to cgroup v1", () => {
    const read = files({ "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "50000\n", "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n" });
    assert.equal(readCgroupQuota(read), 0.5);
  });

  test("v1 with only one of its two files has no quota", () => {
    assert.equal(readCgroupQuota(files({ "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "50000" })), undefined);
  });

  test("no cgroup files, no quota", () => {
    assert.equal(readCgroupQuota(files({})), undefined);
  });
});

describe("availableCpus", () => {
  test("is a whole number of at least 1", () => {
    const cpus = availableCpus();
    assert.ok(Number.isInteger(cpus) && cpus >= 1, String(cpus));
  });
});
