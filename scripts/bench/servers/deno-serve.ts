// Raw Deno.serve peer. PORT and HOST come from the environment.
import app from "./app.mjs";

declare const Deno: any;

Deno.serve({
  hostname: Deno.env.get("HOST") ?? "127.0.0.1",
  port: Number(Deno.env.get("PORT")),
  onListen: ({ port }: { port: number }) => console.log(`deno-serve listening on ${port}`),
}, app.fetch);
