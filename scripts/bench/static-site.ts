// The folder the "static" suite serves, and nginx serving it: the reference
// a production static server sets.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Candidate } from "./candidates.ts";
import { group } from "./candidates.ts";
import { startProcess } from "./processes.ts";

export interface Site {
  dir: string;
  /** The static folder. */
  public: string;
  /** An app answering /page with a 19 KB HTML table. */
  app: string;
}

/** The files measured, by the label shown in the table. */
export const FILES: Record<string, string> = {
  "small.html (1 KiB)": "/small.html",
  "medium.js (32 KiB)": "/medium.js",
  "large.bin (1 MiB)": "/large.bin",
};

export function createSite(): Site {
  const dir = mkdtempSync(join(tmpdir(), "lsky-bench-static-"));
  const pub = join(dir, "public");
  mkdirSync(pub);
  writeFileSync(join(pub, "small.html"), `<!doctype html><title>small</title>${"<p>hello</p>".repeat(84)}`);
  writeFileSync(join(pub, "medium.js"), Array.from({ length: 700 }, (_, i) => `export const value${i} = compute(${i}, "item");\n`).join("").slice(0, 32768));
  writeFileSync(join(pub, "large.bin"), Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 2654435761) >>> 24)));
  // What the harness polls until a server answers (lsky serves it as a static file too).
  writeFileSync(join(pub, "instance"), "static\n");
  // nginx's workers run as nobody: the folder must be readable by others.
  chmodSync(dir, 0o755);
  chmodSync(pub, 0o755);
  const rows = Array.from({ length: 400 }, (_, i) => `<tr><td>${i}</td><td>row ${i}</td><td>${(i * 37) % 101}</td></tr>`).join("\n");
  const app = join(dir, "app.ts");
  writeFileSync(app, `const page = ${JSON.stringify(`<!doctype html><table>${rows}</table>`)};
export default { fetch: () => new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } }) };
`);
  return { dir, public: pub, app };
}

function nginxConf(prefix: string, root: string, port: number, gzip: boolean): string {
  return `worker_processes 1;
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
`;
}

/** nginx with one worker process serving the site's folder (sendfile on, no access log; gzip level 1 when on). */
export function nginxCandidate(site: Site, gzip: boolean): Candidate {
  const id = gzip ? "nginx-gzip" : "nginx";
  return {
    id,
    label: gzip ? "nginx, gzip on" : "nginx",
    engine: "node",
    instances: 1,
    command: "nginx (worker_processes 1, sendfile on, access_log off)",
    start: async (port) => {
      const prefix = join(site.dir, `${id}-${port}`);
      mkdirSync(prefix, { recursive: true });
      const conf = join(prefix, "nginx.conf");
      writeFileSync(conf, nginxConf(prefix, site.public, port, gzip));
      return group([startProcess("nginx", ["-c", conf, "-p", prefix, "-e", join(prefix, "error.log")], { cwd: prefix })]);
    },
  };
}

/** Body bytes and Content-Encoding of one response (node:http does not decode), for the compression table. */
export function bodyBytes(url: string, headers: Record<string, string>): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent: false }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ bytes, encoding: String(res.headers["content-encoding"] ?? "identity") }));
    }).on("error", reject).end();
  });
}
