import type { EngineSocket, SocketHost, UpgradeSlot } from "../websocket/engine.ts";

declare const Deno: any;

/**
 * Deno.serve (`--deno-server native`, TLS, Unix sockets): after the app
 * accepted, Deno.upgradeWebSocket makes the socket and the 101 response.
 * Deno pings on its own (`idleTimeout`) and closes a peer that does not
 * answer; its message size is fixed at 128 MiB, so lsky checks the size of
 * each message itself (1009) once it arrived.
 */
export function finishDenoUpgrade(request: Request, slot: UpgradeSlot, response: Response, host: SocketHost): Response {
  if (!slot.accepted) return response;
  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(request, { idleTimeout: Math.max(1, Math.round(host.policy.wsIdleTimeout / 1000)) });
  } catch {
    host.abandon(slot);
    return new Response("Bad WebSocket handshake\n", { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });
  }
  const { socket } = upgraded;
  socket.binaryType = "arraybuffer";
  socket.addEventListener("open", () => {
    const sink = host.open(slot, engineSocket(socket));
    socket.addEventListener("message", (event) => sink.message(event.data as string | ArrayBuffer));
    socket.addEventListener("error", (event) => sink.error((event as ErrorEvent).error ?? event));
    socket.addEventListener("close", (event) => sink.closed(event.code, event.reason));
  });
  return upgraded.response;
}

function engineSocket(socket: WebSocket): EngineSocket {
  return {
    send: (frame) => socket.send(frame as string | Uint8Array<ArrayBuffer>),
    close: (code, reason) => socket.close(code, reason),
    bufferedAmount: () => socket.bufferedAmount,
    // Deno has no way to drop a connection without the handshake; its own
    // idle timeout ends a peer that stopped answering.
    terminate: () => socket.close(1001, "closing"),
  };
}
