/// <reference types="bun-types" />
import type { EngineSocket, SocketHost, SocketSink, UpgradeSlot } from "../websocket/engine.ts";

interface SocketData {
  slot: UpgradeSlot;
  sink?: SocketSink;
}

type BunSocket = import("bun").ServerWebSocket<SocketData>;
type BunServer = ReturnType<typeof Bun.serve>;

/**
 * Bun.serve's `websocket` option, from lsky's policy: Bun enforces the size
 * (1009) and keeps idle time with its own pings; lsky checks the send buffer
 * itself, so Bun is told never to close or drop on backpressure.
 */
export function bunWebSocketHandlers(host: SocketHost): Record<string, unknown> {
  return {
    maxPayloadLength: host.policy.wsMaxMessage,
    idleTimeout: Math.min(960, Math.max(1, Math.round(host.policy.wsIdleTimeout / 1000))),
    sendPings: true,
    // Bun takes a 32-bit integer here.
    backpressureLimit: 2 ** 31 - 1,
    closeOnBackpressureLimit: false,
    perMessageDeflate: false,
    open(ws: BunSocket) {
      ws.binaryType = "arraybuffer";
      ws.data.sink = host.open(ws.data.slot, engineSocket(ws));
    },
    message(ws: BunSocket, message: string | ArrayBuffer) {
      ws.data.sink?.message(message);
    },
    pong(ws: BunSocket) {
      ws.data.sink?.alive();
    },
    close(ws: BunSocket, code: number, reason: string) {
      ws.data.sink?.closed(code, reason ?? "");
    },
  };
}

function engineSocket(ws: BunSocket): EngineSocket {
  return {
    send: (frame) => void ws.send(frame),
    close: (code, reason) => ws.close(code, reason),
    bufferedAmount: () => ws.getBufferedAmount(),
    terminate: () => ws.terminate(),
  };
}

/**
 * After the app answered a request that asked for a WebSocket: upgrade when
 * it accepted (Bun then answers 101 itself, and fetch returns nothing), or
 * send the app's own response.
 */
export function finishBunUpgrade(server: BunServer, request: Request, slot: UpgradeSlot, response: Response, host: SocketHost): Response | undefined {
  if (!slot.accepted) return response;
  const data: SocketData = { slot };
  if (server.upgrade(request, { data })) return undefined;
  host.abandon(slot);
  return new Response("Bad WebSocket handshake\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
}
