// Node peer: srvx's Node adapter (node:http with its own Request/Response
// conversion). PORT and HOST come from the environment.
import { FastResponse, serve } from "srvx/node";
import app from "./app.mjs";

// srvx sends its own FastResponse without the web-stream round trip that a
// native Response costs on Node. @hono/node-server swaps the global Response
// for its light one by default; doing the same here runs each Node peer in its
// fast configuration while the app's code stays the same for every candidate.
globalThis.Response = FastResponse;

const server = serve({
  fetch: app.fetch,
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT),
  silent: true,
});
await server.ready();
process.stdout.write(`node-srvx listening on ${process.env.PORT}\n`);
