/// <reference types="bun-types" />
// Raw Bun.serve plus the two checks lsky must add on Bun for promises Bun does
// not keep itself (docs/RELIABILITY.md), written as plainly as a user would:
// - a repeated or empty Host is refused (RFC 9112 3.2), and more fields than
//   lsky's limit (Bun allows about 200); Bun accepts both, and seeing them
//   means reading the request's headers, which Bun builds lazily;
// - an event stream lifts Bun's idle timer, which otherwise cuts a stream
//   quiet for longer than the keep-alive time; that reads the response's headers.
// Beside raw Bun.serve and lsky, it shows how much of lsky's cost on Bun is
// these promises rather than lsky itself. PORT and HOST come from the environment;
// REUSE_PORT=1 lets two of these processes share the port (the two-worker peer).
import app from "./app.mjs";
import { hostRefused, isEventStream, MAX_HEADER_COUNT } from "./checks.ts";

const server = Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT),
  reusePort: process.env.REUSE_PORT === "1",
  fetch(request) {
    const headers = request.headers;
    if (headers.count > MAX_HEADER_COUNT || hostRefused(headers)) return new Response(null, { status: 400 });
    const response = app.fetch(request);
    if (isEventStream(response)) server.timeout(request, 0);
    return response;
  },
});
process.stdout.write(`bun-serve-checked listening on ${server.port}\n`);
