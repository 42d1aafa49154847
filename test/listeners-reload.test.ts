// A reload drains a TCP listener without failing a connection: the new
// workers listen before the old ones stop accepting, the old ones let their
// open connections finish, and with net.ipv4.tcp_migrate_req=1 the kernel
// moves connections queued on a closing SO_REUSEPORT listener to the others.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ROOT, selectedTargets } from "./harness/targets.ts";
import { skipUnless } from "./harness/system-tools.ts";

// A network namespace of our own, where this test may set the sysctl (root only).
const SETUP = "ip link set lo up && sysctl -qw net.ipv4.tcp_migrate_req=1";
const canUnshare = spawnSync("unshare", ["-n", "sh", "-c", SETUP]).status === 0;

for (const target of selectedTargets()) {
  describe(`TCP listener reload on ${target.name}`, { skip: skipUnless(canUnshare, "unshare, ip and sysctl (util-linux, iproute2, procps) to make a network namespace") }, () => {
    test("line echo under new-connection load through 3 reloads: no refused, reset or wrong echo", () => {
      const probe = join(ROOT, "test", "harness", "tcp-reload-probe.ts");
      const result = spawnSync("unshare", ["-n", "sh", "-c", `${SETUP} && exec "$0" --import tsx "$@"`, process.execPath, probe, target.name, "3"], {
        cwd: ROOT, encoding: "utf8", timeout: 150_000, killSignal: "SIGKILL",
      });
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
      const totals = JSON.parse(result.stdout.trim().split("\n").pop()!) as { ok: number; failed: number; errors: Record<string, number> };
      assert.equal(totals.failed, 0, result.stdout);
      assert.ok(totals.ok >= 250, result.stdout);
    });
  });
}
