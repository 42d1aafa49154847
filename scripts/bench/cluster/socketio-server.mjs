// One Socket.IO 4 server with @socket.io/redis-adapter, the peer of an lsky
// node in the cluster suite. Every client joins room "r"; an "spub" event is
// emitted to the whole room on every server (the sender included, as lsky's
// sockets.publish), through Redis pub/sub.
// Usage: node socketio-server.mjs PORT redis://127.0.0.1:RPORT
import { createServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import IORedis from "ioredis";
import { Server } from "socket.io";

const [port, redisUrl] = [Number(process.argv[2]), process.argv[3]];
const pub = new IORedis(redisUrl);
const sub = pub.duplicate();
const http = createServer();
const io = new Server(http, { adapter: createAdapter(pub, sub), transports: ["websocket"] });

io.on("connection", (socket) => {
  socket.join("r");
  socket.on("spub", (text) => io.to("r").emit("m", text));
});

http.listen(port, "127.0.0.1", () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => {
  io.close();
  pub.disconnect();
  sub.disconnect();
  process.exit(0);
});
