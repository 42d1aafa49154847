import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

/** A stand-in for systemd's notify socket that records every datagram. */
interface Receiver {
  path: string;
  /** Messages as received, without the BARRIER=1 that systemd-notify adds. */
  messages: string[];
  close(): void;
}

const receivers: ChildProcess[] = [];
after(() => receivers.forEach((r) => r.kill("SIGKILL")));

async function startReceiver(path: string): Promise<Receiver> {
  const child = spawn("python3", [fixture("notify-receiver.py"), path], { stdio: ["ignore", "pipe", "inherit"] });
  receivers.push(child);
  const messages: string[] = [];
  let bound = false;
  let pending = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === "bound") bound = true;
      else if (line && JSON.parse(line) !== "BARRIER=1") messages.push(JSON.parse(line) as string);
    }
  });
  await waitFor("the notify receiver to bind", () => bound);
  return { path, messages, close: () => void child.kill("SIGKILL") };
}

function fields(message: string): Record<string, string> {
  return Object.fromEntries(message.split("\n").map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
}

describeTargets("systemd notify", { binaryStandsForBun: true }, (target) => {
  const dir = mkdtempSync(join(tmpdir(), "lsky-notify-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("sends READY=1 once the workers serve, RELOADING=1 then READY=1 around a reload, STOPPING=1 on stop", async () => {
    const receiver = await startReceiver(join(dir, "notify.sock"));
    const server = await startLsky(target, [fixture("echo.ts"), "--workers", "2", "--host", "127.0.0.1"], {
      env: { NOTIFY_SOCKET: receiver.path },
    });
    await waitFor("READY=1", () => receiver.messages.length >= 1);
    const ready = fields(receiver.messages[0]!);
    assert.equal(ready.READY, "1");
    assert.match(ready.STATUS!, new RegExp(`^Serving .*echo\\.ts at http:\\/\\/127\\.0\\.0\\.1:${server.port} with 2 workers$`));
    assert.equal((await fetch(`${server.url}/`)).status, 200);

    const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
    assert.equal(reload.code, 0, reload.stderr);
    await waitFor("RELOADING=1 and READY=1", () => receiver.messages.length >= 3);
    const reloading = fields(receiver.messages[1]!);
    assert.equal(reloading.RELOADING, "1");
    assert.match(reloading.MONOTONIC_USEC!, /^\d+$/);
    assert.equal(fields(receiver.messages[2]!).READY, "1");

    server.signal("SIGTERM");
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    await waitFor("STOPPING=1", () => receiver.messages.length >= 4);
    assert.equal(fields(receiver.messages[3]!).STOPPING, "1");
    assert.equal(receiver.messages.length, 4, receiver.messages.join(" | "));
    receiver.close();
  });

  test("reaches an abstract-namespace socket too", async () => {
    const receiver = await startReceiver(`@lsky-test-${process.pid}-${target.name}`);
    const server = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--host", "127.0.0.1"], {
      env: { NOTIFY_SOCKET: receiver.path },
    });
    await waitFor("READY=1", () => receiver.messages.length >= 1);
    assert.equal(fields(receiver.messages[0]!).READY, "1");
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    receiver.close();
  });
});
