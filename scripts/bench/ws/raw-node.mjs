// Raw node:http + the `ws` package echo server (the subset of
// test/fixtures/ws-app.ts the load client uses: a hello, `echo:TEXT`).
// Usage: node raw-node.mjs PORT
import { createServer } from "node:http";
import { WebSocketServer } from "ws";

const port = Number(process.argv[2]);
let next = 1;
const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
const server = createServer((_request, response) => response.end("raw node\n"));
server.on("upgrade", (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => {
    ws.send(JSON.stringify({ id: String(next++), worker: 1, pid: process.pid }));
    // The fixture's own parsing, so that both sides do the same app work.
    ws.on("message", (data, isBinary) => {
      if (isBinary) return ws.send(data);
      const [verb, ...rest] = data.toString().split(":");
      if (verb === "echo") ws.send(rest.join(":"));
    });
  });
});
server.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
