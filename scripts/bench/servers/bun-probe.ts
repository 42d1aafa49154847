/// <reference types="bun-types" />
// Raw Bun.serve with one of the reads lsky makes per request added (PROBE),
// so that the "costs" suite can price each read alone, paired with PROBE=none
// on the same core at the same time. PORT and HOST come from the environment.
//   none             the raw server
//   request-headers  reads request.headers (Bun builds them lazily)
//   host             request.headers, then Host refused when empty or repeated
//   request-checks   every request check lsky makes on Bun: field count, Host,
//                    Content-Length and Transfer-Encoding
//   response-type    reads the response's Content-Type (the event-stream test
//                    that lifts Bun's idle timer)
import app from "./app.mjs";
import { hostRefused, isEventStream, MAX_HEADER_COUNT } from "./checks.ts";

type Server = ReturnType<typeof Bun.serve>;
type Probe = (request: Request, server: Server) => Response;

const refused = () => new Response(null, { status: 400 });

const PROBES: Record<string, Probe> = {
  none: (request) => app.fetch(request),
  "request-headers": (request) => (request.headers ? app.fetch(request) : refused()),
  host: (request) => (hostRefused(request.headers) ? refused() : app.fetch(request)),
  "request-checks": (request) => {
    const headers = request.headers;
    if (headers.count > MAX_HEADER_COUNT || hostRefused(headers)) return refused();
    const length = headers.get("content-length");
    const encoding = headers.get("transfer-encoding");
    if (length !== null && encoding !== null) return refused();
    return app.fetch(request);
  },
  "response-type": (request, server) => {
    const response: Response = app.fetch(request);
    if (isEventStream(response)) server.timeout(request, 0);
    return response;
  },
};

const probe = PROBES[process.env.PROBE ?? "none"];
if (!probe) throw new Error(`Unknown PROBE "${process.env.PROBE}": expected ${Object.keys(PROBES).join(", ")}`);

const server: Server = Bun.serve({
  hostname: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT),
  fetch: (request): Response => probe(request, server),
});
process.stdout.write(`bun-probe ${process.env.PROBE ?? "none"} listening on ${server.port}\n`);
