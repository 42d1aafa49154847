// Raw Deno.serve peer. PORT and HOST come from the environment; REUSE_PORT=1
// lets two of these processes share the port, as lsky's Deno workers do
// (`deno serve --parallel` runs its copies as threads of one process).
import app from "./app.mjs";

declare const Deno: any;

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT")),
  reusePort: Deno.env.get("REUSE_PORT") === "1",
  onListen: ({ port }: { port: number }) => console.log(`deno-serve listening on ${port}`),
}, app.fetch);
