// The repository's Dockerfile, checked without Docker: every instruction is
// one Docker knows, every COPY source exists in the build context, the
// entrypoint is the compiled executable, and that executable, started with
// the image's command from the image's working directory, serves as PID 1 of
// a PID namespace and drains on SIGTERM.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { childrenOf } from "./harness/supervision.ts";
import { skipUnless } from "./harness/system-tools.ts";
import { ROOT, selectedTargets, type Target } from "./harness/targets.ts";

after(killAll);

const KNOWN = new Set(["FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER",
  "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"]);

interface Instruction {
  name: string;
  args: string;
}

/** Instructions of a Dockerfile: comments dropped, continuation lines joined. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text.split("\n").filter((line) => !/^\s*#/.test(line)).join("\n").replace(/\\\n/g, " ");
  return joined.split("\n").map((line) => line.trim()).filter(Boolean).map((line) => {
    const [name = "", ...rest] = line.split(/\s+/);
    return { name: name.toUpperCase(), args: rest.join(" ") };
  });
}

const instructions = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const jsonArgs = (name: string) => JSON.parse(instructions.find((i) => i.name === name)!.args) as string[];
const canUnshare = spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"]).status === 0;

describe("the Dockerfile", () => {
  test("parses: known instructions, FROM first, COPY sources in the build context", () => {
    assert.equal(instructions[0]?.name, "FROM");
    for (const { name } of instructions) assert.ok(KNOWN.has(name), `unknown instruction ${name}`);
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8");
    for (const copy of instructions.filter((i) => i.name === "COPY" && !i.args.startsWith("--from"))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        assert.ok(existsSync(join(ROOT, source)), `COPY source ${source} exists (npm run build makes dist/lsky)`);
        assert.match(ignored, new RegExp(`^!${source.replace(/[.*]/g, "\\$&")}$`, "m"), `${source} is not excluded by .dockerignore`);
      }
    }
  });

  test("its entrypoint is the compiled executable copied from dist/lsky", () => {
    const [entrypoint] = jsonArgs("ENTRYPOINT");
    assert.ok(instructions.some((i) => i.name === "COPY" && i.args === `dist/lsky ${entrypoint}`), `COPY dist/lsky ${entrypoint}`);
  });

  const binary = selectedTargets().find((t) => t.name === "binary");
  test("the executable serves the image's command as PID 1 of a PID namespace and drains on SIGTERM", {
    skip: !binary ? "the binary target is not selected" : skipUnless(canUnshare, "unshare --pid (util-linux, root or user namespaces)"),
  }, async () => {
    const workdir = instructions.find((i) => i.name === "WORKDIR")!.args;
    const appDir = instructions.find((i) => i.name === "COPY" && i.args.endsWith(` ${workdir}`))!.args.split(/\s+/)[0]!;
    const asPid1: Target = { ...binary!, command: "unshare", args: ["--pid", "--fork", "--mount-proc", binary!.command] };
    // The image's CMD, with a free port in place of 8000 (the last --port wins).
    const server = await startLsky(asPid1, [...jsonArgs("CMD").slice(1), "--workers", "1"], { cwd: join(ROOT, appDir) });
    assert.match(server.stdout(), /\(supervisor pid 1\)/, "the supervisor is PID 1 in its namespace");
    assert.equal(await (await fetch(`${server.url}/`)).text(), "Hello from lsky, 127.0.0.1\n");
    // unshare is the process started here; the supervisor is its child.
    const [supervisor] = childrenOf(server.pid).map((c) => c.pid);
    process.kill(supervisor!, "SIGTERM");
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    assert.match(server.output(), /stopping: draining workers/);
  });
});
