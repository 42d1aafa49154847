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
    const closer = new DeferredClose(socket);
    const sink = host.open(slot, engineSocket(socket, closer));
    socket.addEventListener("message", (event) => {
      sink.message(event.data as string | ArrayBuffer);
      closer.afterMessage();
    });
    socket.addEventListener("error", (event) => sink.error((event as ErrorEvent).error ?? event));
    socket.addEventListener("close", (event) => sink.closed(event.code, event.reason));
  });
  return upgraded.response;
}

function engineSocket(socket: WebSocket, closer: DeferredClose): EngineSocket {
  return {
    send: (frame) => socket.send(frame as string | Uint8Array<ArrayBuffer>),
    close: (code, reason) => closer.request(code, reason),
    bufferedAmount: () => socket.bufferedAmount,
    // Deno has no way to drop a connection without the handshake; its own
    // idle timeout ends a peer that stopped answering.
    terminate: () => socket.close(1001, "closing"),
  };
}

// Without a message, a socket's close waits this long for one before it closes anyway.
const CLOSE_WAIT_MS = 50;

/**
 * Deno writes a server socket's close frame one event-loop turn after
 * close() (its close op is deferred), and a socket that is closing and
 * receives a data frame before then is torn down at once, so the close frame
 * never goes out and the client sees 1006. Measured: when a reload closed 200
 * sockets of clients exchanging messages in one turn, 1 to 103 of them saw
 * 1006. So a socket is closed right after one of its messages was handled
 * (its read was just consumed; a client that waits for answers sends nothing
 * before the close frame), or after CLOSE_WAIT_MS when none came (an idle
 * socket has no read to race). A client that streams without waiting can
 * still meet the race: docs/WEBSOCKET.md.
 */
class DeferredClose {
  readonly #socket: WebSocket;
  #pending: { code?: number; reason?: string } | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: WebSocket) {
    this.#socket = socket;
  }

  request(code?: number, reason?: string): void {
    if (this.#pending) return;
    this.#pending = { code, reason };
    this.#timer = setTimeout(() => this.#close(), CLOSE_WAIT_MS);
  }

  afterMessage(): void {
    if (this.#pending && this.#timer !== undefined) this.#close();
  }

  #close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const { code, reason } = this.#pending!;
    this.#socket.close(code, reason);
  }
}
