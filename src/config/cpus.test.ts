import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCgroupV1, parseCgroupV2, readCgroupQuota } from "./cpus.ts";

test("cgroup v2 cpu.max: a quota of 1.5 CPUs, or none", () => {
  assert.equal(parseCgroupV2("150000 100000\n"), 1.5);
  assert.equal(parseCgroupV2("max 100000\n"), undefined);
  assert.equal(parseCgroupV2("garbage"), undefined);
});

test("cgroup v1: -1 means no quota", () => {
  assert.equal(parseCgroupV1("200000", "100000"), 2);
  assert.equal(parseCgroupV1("-1", "100000"), undefined);
});

test("v2 is read first, v1 is the fallback, nothing readable means no quota", () => {
  const files: Record<string, string> = {
    "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "50000",
    "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000",
  };
  assert.equal(readCgroupQuota((p) => files[p]), 0.5);
  assert.equal(readCgroupQuota((p) => ({ ...files, "/sys/fs/cgroup/cpu.max": "250000 100000" })[p]), 2.5);
  assert.equal(readCgroupQuota(() => undefined), undefined);
});
