import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { freePort } from "./ports.ts";
import { ROOT } from "./targets.ts";
import { waitFor } from "./wait.ts";

export const COMPAT_APPS = join(ROOT, "test", "compat", "apps");
const BIN = join(ROOT, "node_modules", ".bin");
const LINKED_PACKAGES = ["hono", "@hono/node-server"];

/**
 * A copy of an app folder in a temporary directory, shaped like a real
 * project: its own package.json and a node_modules holding (links to) the
 * packages it uses, outside lsky's repository so that nothing of lsky's
 * (its deno.json, its node_modules) can help it load.
 */
export function copyApp(name: string): { dir: string; remove(): void } {
  const parent = mkdtempSync(join(tmpdir(), "lsky-compat-"));
  const dir = join(parent, name);
  cpSync(join(COMPAT_APPS, name), dir, { recursive: true });
  for (const pkg of LINKED_PACKAGES) {
    const target = join(dir, "node_modules", pkg);
    mkdirSync(join(target, ".."), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", pkg), target, "dir");
  }
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** The app run by its engine directly, as its own docs say, on a free port. */
export interface DirectServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startDirect(engine: "bun" | "node" | "deno", dir: string, entry: string): Promise<DirectServer> {
  const port = await freePort();
  const [command, args] = directCommand(engine, entry, port);
  const child = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, PORT: String(port), NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (output += s));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${engine} serving ${entry} directly`, async () => {
    if (gone) throw new Error(`${engine} exited first:\n${output}`);
    return (await fetch(`${url}/`).catch(() => undefined)) !== undefined;
  }, 30_000);
  return { url, output: () => output, stop: () => stopGroup(child, exited) };
}

function directCommand(engine: "bun" | "node" | "deno", entry: string, port: number): [string, string[]] {
  switch (engine) {
    // Bun serves a default export with fetch itself, on $PORT.
    case "bun":
      return [join(BIN, "bun"), [entry]];
    case "deno":
      return [join(BIN, "deno"), ["serve", "-A", "--quiet", "--host", "127.0.0.1", "--port", String(port), entry]];
    case "node": {
      const tsx = pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "esm", "index.mjs")).href;
      return [process.execPath, ["--import", tsx, join(ROOT, "test", "compat", "_direct", "node-serve.mjs"), entry, String(port)]];
    }
  }
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    // Already gone.
  }
  await exited;
}

/** What the suite compares, route by route. */
export interface Answer {
  status: number;
  contentType: string | null;
  body: string;
  /** Content-Length of an answer without a body (a redirect, HEAD): engines say "0". */
  bodilessLength?: string | null;
}

export interface Route {
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}

export async function ask(base: string, route: Route): Promise<Answer> {
  const response = await fetch(`${base}${route.path}`, {
    method: route.method ?? "GET",
    body: route.body,
    headers: route.headers,
    redirect: "manual",
  });
  const answer: Answer = { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() };
  if (route.method === "HEAD" || (response.status >= 300 && response.status < 400)) answer.bodilessLength = response.headers.get("content-length");
  return answer;
}
