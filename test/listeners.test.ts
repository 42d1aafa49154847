// TCP and UDP listeners beside the HTTP port (docs/LISTENERS.md): the
// examples' echoes, the limits, a bad config, and the rows in status.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { silentConnection, tcpEchoRound, udpRequest } from "./harness/line-echo.ts";
import { freePort } from "./harness/ports.ts";
import { statusJson, waitForStatus } from "./harness/supervision.ts";
import { fixture, ROOT } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { waitFor } from "./harness/wait.ts";
import { tempDir } from "./harness/temp-dir.ts";

after(killAll);

const EXAMPLE = join(ROOT, "examples", "listeners");

interface ListenerFigures {
  protocol: string;
  port: number;
  open?: number;
  received: number;
  limited?: Record<string, number>;
}

function listenerFigures(status: Awaited<ReturnType<typeof statusJson>>): ListenerFigures[] {
  return status.workers.flatMap((w) => ((w as { listeners?: ListenerFigures[] }).listeners ?? []));
}

describeTargets("listeners", (target) => {
  test("examples/listeners: line-based TCP echo and UDP echo from 2 workers, listed in status --json", async () => {
    const [tcp, udp] = [await freePort(), await freePort()];
    // The example's lsky.config.ts names ports 7000 and 7001; the flag takes precedence.
    const server = await startLsky(target, ["--host", "127.0.0.1", "--listeners", `tcp:${tcp}=./echo-tcp.ts,udp:${udp}=./echo-udp.ts`], { cwd: EXAMPLE });
    try {
      assert.match(await (await fetch(server.url)).text(), /TCP echo/);
      for (let i = 0; i < 10; i++) assert.deepEqual(await tcpEchoRound(tcp, ["hello", `line ${i}`, ""]), { ok: true });
      assert.equal(await waitFor("a UDP echo", () => udpRequest(udp, "ping", 500)), "echo: ping");
      const status = await waitForStatus(target, server.port, "10 TCP connections counted", (s) =>
        listenerFigures(s).filter((l) => l.protocol === "tcp").reduce((sum, l) => sum + l.received, 0) === 10);
      const rows = (status as { listeners?: { protocol: string; port: number; servedBy: string }[] }).listeners ?? [];
      assert.deepEqual(rows.map((r) => [r.protocol, r.port, r.servedBy]), [["tcp", tcp, "all workers"], ["udp", udp, "worker 1"]]);
      assert.equal(status.workers.length, 2);
      // UDP is owned by worker 1 alone.
      assert.deepEqual(status.workers.map((w) => ((w as { listeners?: ListenerFigures[] }).listeners ?? []).some((l) => l.protocol === "udp")), [true, false]);
      // A reload replaces worker 1; its successor owns the UDP port, and TCP still echoes.
      const reload = await runLsky(target, ["reload", "--port", String(server.port)], { cwd: EXAMPLE });
      assert.equal(reload.code, 0, reload.stderr);
      const after = await statusJson(target, server.port);
      assert.notEqual(after.workers.find((w) => w.id === 1)?.pid, status.workers.find((w) => w.id === 1)?.pid);
      assert.equal(await waitFor("a UDP echo after the reload", () => udpRequest(udp, "again", 500)), "echo: again");
      assert.deepEqual(await tcpEchoRound(tcp, ["after reload"]), { ok: true });
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("limits: max connections, idle timeout, output cap", async () => {
    const [echo, flood] = [await freePort(), await freePort()];
    const server = await startLsky(target, [
      join(EXAMPLE, "app.ts"), "--workers", "1", "--host", "127.0.0.1",
      "--listeners", `tcp:${echo}=${join(EXAMPLE, "echo-tcp.ts")},tcp:${flood}=${fixture("listeners/flood-tcp.ts")}`,
      // 1 s idle: a worker slowed by a busy host must not cut the echo rounds below (they talk at once).
      "--listener-max-connections", "1", "--listener-idle-timeout", "1s", "--listener-output-buffer", "256kb",
    ]);
    try {
      // The first connection keeps talking (under the idle timeout); a second one is closed at once, unanswered.
      const first = connect(echo, "127.0.0.1");
      first.on("error", () => {});
      const ticks = setInterval(() => first.write("tick\n"), 100);
      try {
        await waitForStatus(target, server.port, "one open connection", (s) => listenerFigures(s).some((l) => l.port === echo && l.open === 1));
        assert.equal((await tcpEchoRound(echo, ["refused"])).ok, false);
      } finally {
        clearInterval(ticks);
        first.destroy();
      }
      await waitForStatus(target, server.port, "the first connection gone", (s) => listenerFigures(s).some((l) => l.port === echo && l.open === 0));
      // A silent connection is closed by the idle timeout, without a byte sent.
      assert.deepEqual(await silentConnection(echo), { received: "" });
      // Its place is free as soon as the client sees the close (the server gives it back as it drops it).
      assert.deepEqual(await tcpEchoRound(echo, ["after"]), { ok: true });
      // A client that reads nothing while the module writes is cut off at the cap
      // (a paused socket reads nothing from the kernel, so it sees the reset once resumed).
      const reader = connect(flood, "127.0.0.1");
      reader.pause();
      reader.on("error", () => {});
      reader.write("flood\n");
      const status = await waitForStatus(target, server.port, "the output cap hit", (s) =>
        listenerFigures(s).some((l) => l.port === flood && (l.limited?.["output-buffer"] ?? 0) >= 1 && l.open === 0));
      reader.resume();
      await new Promise((resolve) => reader.once("close", resolve));
      const limited = Object.assign({}, ...listenerFigures(status).map((l) => l.limited ?? {})) as Record<string, number>;
      assert.ok(limited["max-connections"]! >= 1, JSON.stringify(limited));
      assert.ok(limited.idle! >= 1, JSON.stringify(limited));
    } finally {
      assert.equal((await server.stop()).code, 0);
    }
  });

  test("a bad listener entry is refused with one line and exit code 2", async () => {
    const result = await runLsky(target, ["serve", fixture("echo.ts"), "--port", String(await freePort()), "--listeners", "sctp:7000=./x.ts"]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /listeners.*expected entries such as tcp:7000=/);
    const missing = await runLsky(target, ["serve", fixture("echo.ts"), "--workers", "1", "--port", String(await freePort()),
      "--listeners", `tcp:${await freePort()}=${fixture("listeners/no-data-tcp.ts")}`]);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /has no default export with data\(\)/);
    // The config file form: the entry and the key named, before any worker starts.
    const dir = tempDir("lsky-listeners-config-");
    writeFileSync(join(dir, "lsky.config.json"), JSON.stringify({ entry: fixture("echo.ts"), listeners: [{ port: 7000, protocol: "quic", module: "./x.ts" }] }));
    const file = await runLsky(target, ["serve", "--port", String(await freePort())], { cwd: dir });
    assert.equal(file.code, 2, file.stderr);
    assert.match(file.stderr, /Invalid value an array for "listeners" in lsky\.config\.json: expected protocol "tcp" or "udp" for port 7000/);
    const onHttp = await freePort();
    const clash = await runLsky(target, ["serve", fixture("echo.ts"), "--port", String(onHttp), "--listeners", `tcp:${onHttp}=${join(EXAMPLE, "echo-tcp.ts")}`]);
    assert.equal(clash.code, 2, clash.stderr);
    assert.match(clash.stderr, /the HTTP server listens on it/);
  });
});
