import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "./targets.ts";
import { processGone, waitFor } from "./wait.ts";

const DOC = join(ROOT, "docs", "DEPLOYMENT.md");
const MARKER = "<!-- The block below is the one test/nginx.test.ts runs";

/** The nginx example from docs/DEPLOYMENT.md, so the test runs exactly what the docs show. */
export function documentedNginxSite(): string {
  const doc = readFileSync(DOC, "utf8");
  const start = doc.indexOf(MARKER);
  if (start === -1) throw new Error(`${DOC} has lost the tested nginx block's marker`);
  const block = /```nginx\n([\s\S]*?)```/.exec(doc.slice(start));
  if (!block) throw new Error(`no nginx block after the marker in ${DOC}`);
  return block[1]!;
}

export interface SiteOptions {
  upstream: string;
  port: number;
  root: string;
  /** Also listen with TLS on this port with these files. */
  tls?: { port: number; cert: string; key: string };
}

/** The documented block with the test's addresses; fails if a placeholder is missing. */
export function siteConfig(options: SiteOptions): string {
  const replace = (text: string, from: string, to: string) => {
    if (!text.includes(from)) throw new Error(`the documented nginx block has no "${from}"`);
    return text.replace(from, to);
  };
  const tls = options.tls
    ? `\n    listen 127.0.0.1:${options.tls.port} ssl;\n    ssl_certificate ${options.tls.cert};\n    ssl_certificate_key ${options.tls.key};`
    : "";
  let site = documentedNginxSite();
  if (!site.includes("server 127.0.0.1:8000")) throw new Error('the documented nginx block has no "server 127.0.0.1:8000"');
  site = site.replaceAll("server 127.0.0.1:8000", `server ${options.upstream}`);
  site = replace(site, "listen 80;", `listen 127.0.0.1:${options.port};${tls}`);
  return replace(site, "root /srv/app/public;", `root ${options.root};`);
}

export interface Nginx {
  readonly pid: number;
  readonly prefix: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts nginx in the foreground with its own prefix (config, pid file, logs
 * and temp dirs in a temp dir), waits for its pid file, and stops it by that pid.
 */
export async function startNginx(site: string, commandPrefix: string[] = []): Promise<Nginx> {
  const prefix = mkdtempSync(join(tmpdir(), "lsky-nginx-"));
  // nginx workers may run as another user when the test runs as root.
  chmodSync(prefix, 0o755);
  mkdirSync(join(prefix, "logs"));
  const pidFile = join(prefix, "nginx.pid");
  writeFileSync(join(prefix, "nginx.conf"), mainConfig(prefix, pidFile, site));
  const [command, ...args] = [...commandPrefix, "nginx", "-p", prefix, "-c", join(prefix, "nginx.conf"), "-e", "stderr"];
  const child: ChildProcess = spawn(command!, args, {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.setEncoding("utf8").on("data", (s: string) => (out += s));
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (out += s));
  let exited = false;
  child.once("exit", () => (exited = true));
  const pid = await waitFor("nginx's pid file", () => {
    if (exited) throw new Error(`nginx exited at start:\n${out}`);
    try {
      return Number(readFileSync(pidFile, "utf8").trim()) || undefined;
    } catch {
      return undefined;
    }
  });
  return {
    pid,
    prefix,
    output: () => out,
    stop: async () => {
      try {
        process.kill(pid, "SIGQUIT");
        await waitFor("nginx to exit", () => processGone(pid), 10_000);
      } catch {
        if (!processGone(pid)) process.kill(pid, "SIGKILL");
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

function mainConfig(prefix: string, pidFile: string, site: string): string {
  const temp = (name: string) => join(prefix, name);
  return `daemon off;
worker_processes 1;
pid ${pidFile};
error_log stderr warn;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path ${temp("client_body")};
    proxy_temp_path ${temp("proxy")};
    fastcgi_temp_path ${temp("fastcgi")};
    uwsgi_temp_path ${temp("uwsgi")};
    scgi_temp_path ${temp("scgi")};
${site}
}
`;
}
