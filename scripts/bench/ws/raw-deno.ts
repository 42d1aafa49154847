// Raw Deno.serve + Deno.upgradeWebSocket echo server (the subset of
// test/fixtures/ws-app.ts the load client uses: a hello, `echo:TEXT`).
// Usage: deno run -A raw-deno.ts PORT
declare const Deno: {
  serve(options: { hostname: string; port: number; onListen?: () => void }, handler: (request: Request) => Response): unknown;
  upgradeWebSocket(request: Request): { socket: WebSocket; response: Response };
  pid: number;
  args: string[];
};
const port = Number(Deno.args[0]);
let next = 1;
Deno.serve({ hostname: "127.0.0.1", port, onListen: () => console.log(`listening on ${port}`) }, (request) => {
  if (request.headers.get("upgrade") !== "websocket") return new Response("raw deno\n");
  const { socket, response } = Deno.upgradeWebSocket(request);
  socket.onopen = () => socket.send(JSON.stringify({ id: String(next++), worker: 1, pid: Deno.pid }));
  socket.onmessage = (event) => {
    // The fixture's own parsing, so that both sides do the same app work.
    if (typeof event.data !== "string") return socket.send(event.data);
    const [verb, ...rest] = event.data.split(":");
    if (verb === "echo") socket.send(rest.join(":"));
  };
  return response;
});

export {};
