import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./targets.ts";

/** Runs Debian's python3-websockets against `url` (test/harness/ws-peer.py); resolves with its output lines. */
export function pythonPeer(url: string, text: string): Promise<{ code: number | null; lines: string[]; stderr: string }> {
  const child = spawn("/usr/bin/python3", [join(ROOT, "test", "harness", "ws-peer.py"), url, text], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (err += s));
  // A safety net against a hang, not a performance assertion.
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return new Promise((resolve) => child.once("close", (code) => {
    clearTimeout(timer);
    resolve({ code, lines: out.split("\n").filter(Boolean), stderr: err });
  }));
}
