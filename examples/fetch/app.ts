// A plain fetch app: no framework, the same shape Bun, Deno and Cloudflare Workers serve.
import type { Env } from "lsky";

export default {
  fetch(request: Request, env: Env): Response {
    const url = new URL(request.url);
    if (url.pathname === "/") return new Response(`Hello from lsky, ${env.remoteAddr.hostname}\n`);
    if (url.pathname === "/json") return Response.json({ worker: env.bus.workerId, method: request.method });
    return new Response("Not found\n", { status: 404 });
  },
};
