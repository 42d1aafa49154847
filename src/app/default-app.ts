import { Hono } from "hono";
import { currentEngine, currentEngineVersion } from "../runtime/detect.ts";
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

function welcomePage(): string {
  const uptime = Math.round((Date.now() - startedAt) / 1000);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lsky ${VERSION}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}
code,pre{background:#f3f3f3;border-radius:4px;padding:.1rem .3rem}pre{padding:.8rem}dt{font-weight:600}</style></head>
<body><h1>lsky is running</h1>
<dl><dt>Version</dt><dd>${VERSION}</dd><dt>Engine</dt><dd>${currentEngine()} ${currentEngineVersion()}</dd>
<dt>Worker process</dt><dd>${process.pid}</dd><dt>Uptime</dt><dd>${uptime} s</dd></dl>
<h2>Serve your own app</h2>
<p>Write a module whose default export has <code>fetch(request)</code>, a Hono app for instance:</p>
<pre>// app.ts
export default {
  fetch(request: Request) {
    return new Response("Hello from lsky");
  },
};</pre>
<p>then run <code>lsky serve app.ts --workers 4</code>. <code>lsky --help</code> lists every option.</p>
<p>Health probe: <a href="/healthz">/healthz</a></p>
</body></html>`;
}

export default createDefaultApp();
