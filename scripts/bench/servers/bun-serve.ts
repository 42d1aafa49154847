/// <reference types="bun-types" />
// Raw Bun.serve peer. PORT and HOST come from the environment; REUSE_PORT=1
// lets two of these processes share the port (the two-worker peer).
import app from "./app.mjs";

const server = Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT),
  reusePort: process.env.REUSE_PORT === "1",
  fetch: app.fetch,
});
process.stdout.write(`bun-serve listening on ${server.port}\n`);
