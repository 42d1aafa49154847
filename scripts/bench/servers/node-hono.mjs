// Node peer: node:http with @hono/node-server, the stack lsky's Node adapter
// uses. PORT and HOST come from the environment. Also the script that the
// Node cluster peer and PM2 cluster mode run in each worker. BENCH_APP names
// another app module (the scaling suite's CPU-bound app).
import { serve } from "@hono/node-server";

const { default: app } = await import(process.env.BENCH_APP ?? "./app.mjs");

serve({ fetch: app.fetch, hostname: process.env.HOST ?? "127.0.0.1", port: Number(process.env.PORT) }, (info) => {
  process.stdout.write(`node-hono listening on ${info.port} (pid ${process.pid})\n`);
});
