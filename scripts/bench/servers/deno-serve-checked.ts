// Raw Deno.serve plus the checks lsky must add with `--deno-server native` for
// promises Deno.serve does not keep itself (docs/RELIABILITY.md), written as
// plainly as a user would: header section size and field count (Deno.serve
// accepts a 20 KB header), and a missing, empty or repeated Host. Counting the
// header bytes means iterating the request's headers. Beside raw Deno.serve
// and lsky, it shows how much of lsky's cost there is these promises rather
// than lsky itself. PORT and HOST come from the environment.
import app from "./app.mjs";
import { headersTooLarge, hostRefused } from "./checks.ts";

declare const Deno: any;

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT")),
  onListen: ({ port }: { port: number }) => console.log(`deno-serve-checked listening on ${port}`),
}, (request: Request) => {
  const headers = request.headers;
  if (headersTooLarge(headers)) return new Response(null, { status: 431 });
  if (hostRefused(headers)) return new Response(null, { status: 400 });
  return app.fetch(request);
});
