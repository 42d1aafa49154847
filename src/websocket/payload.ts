import { Buffer } from "node:buffer";
import type { SocketData } from "./app-api.ts";

/** A message on its way to a socket: text, or bytes. */
export type Frame = string | Uint8Array;

/** How a frame crosses the bus (JSON): text as is, bytes in base64. */
export interface WireFrame {
  s?: string;
  b?: string;
}

export function toFrame(data: SocketData): Frame {
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  throw new TypeError(`A WebSocket message must be a string, an ArrayBuffer or a typed array, got ${typeof data}`);
}

export function toWire(frame: Frame): WireFrame {
  return typeof frame === "string" ? { s: frame } : { b: Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString("base64") };
}

export function fromWire(wire: WireFrame): Frame {
  return wire.s !== undefined ? wire.s : new Uint8Array(Buffer.from(wire.b ?? "", "base64"));
}

/** Bytes of a received message, for the size limit. */
export function byteLength(data: string | ArrayBuffer): number {
  return typeof data === "string" ? Buffer.byteLength(data) : data.byteLength;
}
