// The two sides of the cross-node publish: two lsky nodes (one worker each,
// the ws-app fixture, raw WebSocket clients) and two Socket.IO servers with
// the Redis adapter (socket.io-client over WebSocket only). Same Redis, same
// room, same payloads, one client per node.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import { startLsky } from "../../../test/harness/lsky.ts";
import type { RedisServer } from "../../../test/harness/redis.ts";
import { fixture, type Target } from "../../../test/harness/targets.ts";
import { openWebSocket, type RawWebSocket } from "../../../test/harness/ws-client.ts";
import { waitFor } from "../../../test/harness/wait.ts";
import { freePort, startProcess, stopProcess } from "../processes.ts";
import type { Peer, TwoNodes } from "./publish.ts";

const SOCKET_IO_SERVER = join(import.meta.dirname, "socketio-server.mjs");
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function lskyPeer(ws: RawWebSocket): Peer {
  return {
    publish: (text) => ws.sendText(`spub:r:${text}`),
    receive: async (text) => void await ws.nextText(new RegExp(`^${escape(text)}$`)),
    close: () => ws.destroy(),
  };
}

export async function lskyNodes(target: Target, redis: RedisServer, scratch: string): Promise<TwoNodes> {
  const node = (name: string) => startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1",
    "--cluster-redis", redis.url, "--cluster-node", name], { cwd: mkdtempSync(join(scratch, `${name}-`)) });
  const [a, b] = await Promise.all([node("a"), node("b")]);
  await waitFor("both lsky nodes subscribed", async () => /:2\r\n/.test(await redis.command("PUBSUB NUMSUB lsky:cluster:all")) || undefined, 30_000);
  const peers = await Promise.all([a, b].map(async (n) => {
    const ws = await openWebSocket(n.port, "/ws?room=r");
    await ws.nextText(); // The fixture's hello with the socket's id.
    return lskyPeer(ws);
  }));
  return {
    a: peers[0]!, b: peers[1]!, groups: [a.pid, b.pid],
    stop: async () => {
      for (const peer of peers) peer.close();
      await Promise.all([a.stop(), b.stop()]);
    },
  };
}

function socketIoPeer(socket: Socket): Peer {
  // Messages arrive in order and the harness waits for one text at a time.
  let wanted: { text: string; resolve: () => void } | undefined;
  socket.on("m", (text: string) => {
    if (wanted?.text === text) {
      wanted.resolve();
      wanted = undefined;
    }
  });
  return {
    publish: (text) => void socket.emit("spub", text),
    receive: (text) => new Promise((resolve) => (wanted = { text, resolve })),
    close: () => void socket.close(),
  };
}

async function connected(port: number): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ["websocket"], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

/** Publishes until node b's client gets one: the adapter subscribes to Redis after listening. */
async function untilLinked(a: Peer, b: Peer): Promise<void> {
  for (let i = 0; ; i++) {
    const got = b.receive(`link${i}`);
    a.publish(`link${i}`);
    const linked = await Promise.race([got.then(() => true), new Promise<boolean>((r) => setTimeout(r, 200, false))]);
    if (linked) return;
    if (i === 100) throw new Error("the Socket.IO servers never saw each other's publishes through Redis");
  }
}

export async function socketIoNodes(redis: RedisServer): Promise<TwoNodes> {
  const ports = [await freePort(), await freePort()];
  const servers = ports.map((port) => startProcess(process.execPath, [SOCKET_IO_SERVER, String(port), redis.url]));
  try {
    await waitFor("both Socket.IO servers listening", () => servers.every((s) => /listening/.test(s.output())) || undefined, 30_000);
    const sockets = await Promise.all(ports.map(connected));
    const [a, b] = sockets.map(socketIoPeer) as [Peer, Peer];
    await untilLinked(a, b);
    return {
      a, b, groups: servers.map((s) => s.pid),
      stop: async () => {
        a.close();
        b.close();
        await Promise.all(servers.map((s) => stopProcess(s)));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => stopProcess(s)));
    throw error;
  }
}
