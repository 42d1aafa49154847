// Node peer: srvx's Node adapter (node:http with its own Request/Response
// conversion). PORT and HOST come from the environment.
import { serve } from "srvx/node";
import app from "./app.mjs";

const server = serve({
  fetch: app.fetch,
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT),
  silent: true,
});
await server.ready();
process.stdout.write(`node-srvx listening on ${process.env.PORT}\n`);
