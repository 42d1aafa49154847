// Raw Deno.serve with one of the reads lsky makes per request with
// `--deno-server native` added (PROBE), so that the "costs" suite can price
// each read alone, paired with PROBE=none on the same core at the same time.
// PORT and HOST come from the environment.
//   none         the raw server
//   host         request.headers, then Host refused when missing, empty or repeated
//   header-walk  every header visited once, for the field count and section size
import app from "./app.mjs";
import { headersTooLarge, hostRefused } from "./checks.ts";

declare const Deno: any;

const refused = (status: number) => new Response(null, { status });

const PROBES: Record<string, (request: Request) => Response> = {
  none: (request) => app.fetch(request),
  host: (request) => (hostRefused(request.headers) ? refused(400) : app.fetch(request)),
  "header-walk": (request) => (headersTooLarge(request.headers) ? refused(431) : app.fetch(request)),
};

const name = Deno.env.get("PROBE") ?? "none";
const probe = PROBES[name];
if (!probe) throw new Error(`Unknown PROBE "${name}": expected ${Object.keys(PROBES).join(", ")}`);

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT")),
  onListen: ({ port }: { port: number }) => console.log(`deno-probe ${name} listening on ${port}`),
}, probe);
