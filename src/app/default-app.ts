import { Hono } from "hono";
import { currentEngine, currentEngineVersion, isCompiledBinary } from "../runtime/detect.ts";
import { lskyScript } from "../runtime/launch.ts";
import { lskyCommandFor } from "./launch-hint.ts";
import { VERSION } from "../version.ts";

const startedAt = Date.now();

/**
 * The app `lsky serve` runs when it is given no entry: a welcome page and a
 * health probe, so a freshly downloaded binary does something useful at once.
 */
export function createDefaultApp(): Hono {
  const app = new Hono();
  app.get("/", (c) => c.html(welcomePage()));
  app.get("/healthz", (c) => c.json({ status: "ok", version: VERSION, engine: currentEngine(), pid: process.pid }));
  return app;
}

/** The lsky command as whoever started this server can type it again (not `lsky` unless it is on the PATH). */
function lskyCommand(): string {
  return lskyCommandFor({
    engine: currentEngine(), compiled: isCompiledBinary(), execPath: process.execPath,
    script: isCompiledBinary() ? "" : lskyScript(), cwd: process.cwd(), path: process.env.PATH ?? "",
  });
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function welcomePage(): string {
  const uptime = Math.round((Date.now() - startedAt) / 1000);
  const lsky = escapeHtml(lskyCommand());
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lsky ${VERSION}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:4rem auto;padding:0 1rem;color:#222}
code,pre{background:#f3f3f3;border-radius:4px;padding:.1rem .3rem}pre{padding:.8rem;overflow:auto}dt{font-weight:600}</style></head>
<body><h1>lsky is running</h1>
<dl><dt>Version</dt><dd>${VERSION}</dd><dt>Engine</dt><dd>${currentEngine()} ${currentEngineVersion()}</dd>
<dt>Worker process</dt><dd>${process.pid}</dd><dt>Uptime</dt><dd>${uptime} s</dd></dl>
<h2>Serve your own app</h2>
<p>Write a module whose default export has <code>fetch(request)</code>. A Hono app:</p>
<pre>// app.ts
import { Hono } from "hono";
import type { Env } from "lsky";

const app = new Hono&lt;{ Bindings: Env }&gt;();
app.get("/", (c) =&gt; c.text(\`Hello, \${c.env.remoteAddr.hostname}\`));
export default app;</pre>
<p>or a plain object, with nothing to install:</p>
<pre>// app.ts
export default {
  fetch(request: Request) {
    return new Response("Hello from lsky");
  },
};</pre>
<p>then run</p>
<pre>${lsky} serve app.ts --workers 4</pre>
<p><code>${lsky} serve --help</code> lists every option by group, <code>${lsky} status</code> shows the workers,
<code>${lsky} stop</code> stops the server.</p>
<h2>Documentation</h2>
<p>In the lsky package and repository: <code>README.md</code> (install, serve, types, deploy),
<code>docs/CONFIGURATION.md</code> (every setting), <code>docs/DEPLOYMENT.md</code> (nginx, systemd, Docker),
<code>docs/OPERATIONS.md</code> (workers, reloads, status) and <code>examples/</code>.
Hono's own guide: <a href="https://hono.dev/docs/">hono.dev/docs</a>.</p>
<p>Health probe: <a href="/healthz">/healthz</a></p>
</body></html>`;
}

export default createDefaultApp();
