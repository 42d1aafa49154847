import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../../test/harness/ports.ts";
import { ROOT } from "../../test/harness/targets.ts";
import { waitFor } from "../../test/harness/wait.ts";

export interface RunningServer {
  name: string;
  url: string;
  stop(): Promise<void>;
}

const BIN = join(ROOT, "node_modules", ".bin");
const BUNDLE = join(ROOT, "dist", "lsky.mjs");
const ENGINE_COMMANDS: Record<string, string[]> = {
  bun: [join(BIN, "bun"), BUNDLE],
  node: [process.execPath, BUNDLE],
  deno: [join(BIN, "deno"), "run", "-A", "--quiet", BUNDLE],
};

function startProcess(command: string[], cwd: string): { child: ChildProcess; output: () => string } {
  // Its own process group, so stopping it stops its workers too (by pid).
  const child = spawn(command[0]!, command.slice(1), { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (output += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (output += s));
  return { child, output: () => output };
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid!, "SIGTERM");
  } catch {
    return Promise.resolve();
  }
  const force = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // gone
    }
  }, 10_000);
  return exited.finally(() => clearTimeout(force));
}

/** lsky with one worker on an engine, serving `app` and static files from `staticDir`. */
export async function startLsky(name: string, engine: string, app: string, staticDir: string, extra: string[] = []): Promise<RunningServer> {
  const port = await freePort();
  const command = [...ENGINE_COMMANDS[engine]!, "serve", app, "--workers", "1", "--host", "127.0.0.1", "--port", String(port), "--static", staticDir, ...extra];
  const { child, output } = startProcess(command, ROOT);
  await waitFor(`${name} to start`, () => {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${output()}`);
    return /serving .* at http/.test(output());
  }, 60_000);
  return { name, url: `http://127.0.0.1:${port}`, stop: () => stopGroup(child) };
}

/** nginx with one worker process serving `root`, tuned as a production static server is (sendfile, no access log). */
export async function startNginx(name: string, root: string, workDir: string, gzip: boolean): Promise<RunningServer> {
  const port = await freePort();
  const prefix = join(workDir, `nginx-${port}`);
  mkdirSync(prefix, { recursive: true });
  const conf = join(prefix, "nginx.conf");
  writeFileSync(conf, `worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  etag on;
  gzip ${gzip ? "on" : "off"};
  gzip_types text/css application/javascript text/javascript application/json;
  gzip_min_length 1024;
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`);
  const { child, output } = startProcess(["nginx", "-c", conf, "-p", prefix, "-e", join(prefix, "error.log")], prefix);
  await waitFor(`${name} to start`, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${output()} ${safeRead(join(prefix, "error.log"))}`);
    return fetch(`http://127.0.0.1:${port}/`).then((r) => (r.body?.cancel(), true), () => false);
  }, 30_000);
  return { name, url: `http://127.0.0.1:${port}`, stop: () => stopGroup(child) };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
