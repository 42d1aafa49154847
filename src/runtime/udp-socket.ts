import { createSocket } from "node:dgram";
import { listenError } from "./listen-error.ts";

/**
 * A UDP socket for the app's `listeners` (docs/LISTENERS.md), on node:dgram
 * on every engine. None of the engines offers SO_REUSEPORT for datagrams
 * (Bun's udpSocket, Deno's listenDatagram, Node 20's dgram), so one worker
 * owns the port. It binds with SO_REUSEADDR: measured on Linux with all
 * three engines, a second socket bound that way receives every new datagram
 * from then on, so a reload's replacement takes the port over from the
 * draining owner without a gap. On Node it binds `exclusive`, outside the
 * cluster's shared handles, to behave as on the other engines.
 */

export interface UdpPeer {
  hostname: string;
  port: number;
}

export interface UdpSocket {
  readonly port: number;
  /** Sends one datagram to `peer` (a string as UTF-8). */
  send(data: Uint8Array | string, peer: UdpPeer): void;
  close(): void;
}

export interface UdpBindOptions {
  hostname: string;
  port: number;
  onMessage(bytes: Uint8Array, peer: UdpPeer, socket: UdpSocket): void;
}

export function bindUdp(options: UdpBindOptions): Promise<UdpSocket> {
  const type = options.hostname.includes(":") ? "udp6" : "udp4";
  const socket = createSocket({ type, reuseAddr: true });
  let closed = false;
  const facade: UdpSocket = {
    get port() {
      return socket.address().port;
    },
    send: (data, peer) => {
      if (closed) return;
      socket.send(data, peer.port, peer.hostname);
    },
    close: () => {
      if (closed) return;
      closed = true;
      socket.close();
    },
  };
  socket.on("message", (bytes, info) => options.onMessage(bytes, { hostname: info.address, port: info.port }, facade));
  return new Promise((resolve, reject) => {
    socket.once("error", (error) => reject(listenError(error, { port: options.port })));
    socket.bind({ port: options.port, address: options.hostname, exclusive: true }, () => {
      socket.removeAllListeners("error");
      // A send to an unreachable peer surfaces here (ICMP); it is the peer's problem.
      socket.on("error", () => {});
      resolve(facade);
    });
  });
}
