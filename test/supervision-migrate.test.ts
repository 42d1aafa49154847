import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, test } from "node:test";
import { toleratedResets } from "./harness/reset-bound.ts";
import { ROOT, selectedTargets } from "./harness/targets.ts";
import { skipBunBesideBinary } from "./harness/slow.ts";
import { skipUnless } from "./harness/system-tools.ts";

// A network namespace of our own, where this test may set the sysctl (root only).
const SETUP = "ip link set lo up && sysctl -qw net.ipv4.tcp_migrate_req=1";
const canUnshare = spawnSync("unshare", ["-n", "sh", "-c", SETUP]).status === 0;

for (const target of selectedTargets().filter((t) => t.engine === "bun")) {
  describe(`tcp_migrate_req=1 on ${target.name}`, {
    skip: skipUnless(canUnshare, "unshare, ip and sysctl (util-linux, iproute2, procps) to make a network namespace") || skipBunBesideBinary(target, selectedTargets()),
  }, () => {
    test("reloads under new-connection-per-request load fail no request", () => {
      const probe = join(ROOT, "test", "harness", "reload-probe.ts");
      const result = spawnSync("unshare", ["-n", "sh", "-c", `${SETUP} && exec "$0" --import tsx "$@"`, process.execPath, probe, target.name, "5", "new-connections"], {
        cwd: ROOT, encoding: "utf8", timeout: 150_000, killSignal: "SIGKILL",
      });
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
      const totals = JSON.parse(result.stdout.trim().split("\n").pop()!);
      // Every request is a new connection; what is left is Bun's own rare reset (reset-bound.ts).
      const bound = toleratedResets({ engine: target.engine, migrate: true, newConnections: totals.sent });
      assert.ok(totals.errors <= bound, `at most ${bound} tolerated: ${result.stdout}`);
      assert.equal(totals.non2xx, 0, result.stdout);
      assert.ok(totals.ok > 100);
    });
  });
}
