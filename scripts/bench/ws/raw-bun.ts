// Raw Bun.serve WebSocket server, the peer lsky is measured against. It
// speaks the subset of test/fixtures/ws-app.ts the load client uses: a hello
// on open, `echo:TEXT`, `pub:TOPIC:TEXT` (ws.publish, not to the sender),
// `?room=TOPIC` to subscribe. Usage: bun raw-bun.ts PORT
/// <reference types="bun-types" />
const port = Number(process.argv[2]);
let next = 1;
Bun.serve<{ room: string | null }>({
  hostname: "127.0.0.1",
  port,
  reusePort: true,
  fetch(request, server) {
    const room = new URL(request.url).searchParams.get("room");
    return server.upgrade(request, { data: { room } }) ? undefined : new Response("raw bun\n");
  },
  websocket: {
    maxPayloadLength: 1024 * 1024,
    open(ws) {
      if (ws.data.room) ws.subscribe(ws.data.room);
      ws.send(JSON.stringify({ id: String(next++), worker: 1, pid: process.pid }));
    },
    // The fixture's own parsing, so that both sides do the same app work.
    message(ws, message) {
      if (typeof message !== "string") return void ws.send(message);
      const [verb, ...rest] = message.split(":");
      if (verb === "echo") return void ws.send(rest.join(":"));
      if (verb === "pub") ws.publish(rest[0]!, rest.slice(1).join(":"));
    },
  },
});
console.log(`listening on ${port}`);

export {};
