// The control plane: another user cannot reach the control socket, and status
// carries no secret from the server's environment.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { controlPathForPort } from "../src/paths.ts";
import { fixture } from "./harness/targets.ts";
import { skipUnless } from "./harness/system-tools.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const SECRET = "s3cr3t-token-value-for-the-status-test";
// A peer of another user: root runs a client as "nobody" (setpriv from util-linux).
const canSwitchUser = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;

describeTargets("control plane", (target) => {
  test("status shows no value from the server's environment", async () => {
    const server = await startLsky(target, [fixture("echo.ts"), "--workers", "1"], {
      env: { API_TOKEN: SECRET, DATABASE_URL: `postgres://user:${SECRET}@db/app` },
    });
    try {
      for (const args of [["status", "--json"], ["status"]]) {
        const result = await runLsky(target, [...args, "--port", String(server.port)]);
        assert.equal(result.code, 0, result.stderr);
        assert.ok(!result.stdout.includes(SECRET), "status leaks an environment value");
        assert.match(result.stdout, /pid/);
      }
    } finally {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    }
  });

  test("a peer of another user cannot open the control socket", { skip: skipUnless(canSwitchUser, "root and setpriv (util-linux) to act as another user") }, async () => {
    const server = await startLsky(target, [fixture("echo.ts"), "--workers", "1"]);
    try {
      const socket = controlPathForPort(server.port);
      assert.ok(existsSync(socket));
      const script = `const s=require("net").connect(${JSON.stringify(socket)});s.on("connect",()=>{console.log("connected");process.exit(0)});s.on("error",e=>{console.log(e.code);process.exit(3)})`;
      const peer = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "-e", script], { encoding: "utf8" });
      assert.equal(peer.status, 3, peer.stdout + peer.stderr);
      assert.match(peer.stdout, /EACCES/);
    } finally {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    }
  });
});
