// The part of the `ws` package (8.x) lsky uses; the package ships no types.
declare module "ws" {
  import type { IncomingMessage } from "node:http";
  import type { Duplex } from "node:stream";

  export interface WebSocket {
    binaryType: "nodebuffer" | "arraybuffer" | "fragments";
    readonly bufferedAmount: number;
    send(data: string | Uint8Array): void;
    close(code?: number, reason?: string): void;
    ping(): void;
    terminate(): void;
    /** `data` is a Buffer with binaryType "nodebuffer" (what lsky sets), an ArrayBuffer with "arraybuffer". */
    on(event: "message", listener: (data: Buffer, isBinary: boolean) => void): this;
    on(event: "close", listener: (code: number, reason: Uint8Array) => void): this;
    on(event: "pong" | "ping", listener: () => void): this;
    on(event: "error", listener: (error: Error) => void): this;
  }

  export interface WebSocketServerOptions {
    noServer: true;
    maxPayload: number;
    perMessageDeflate: boolean;
    clientTracking: boolean;
  }

  export class WebSocketServer {
    constructor(options: WebSocketServerOptions);
    handleUpgrade(request: IncomingMessage, socket: Duplex, head: Uint8Array, callback: (ws: WebSocket) => void): void;
  }
}
