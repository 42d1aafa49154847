// A UDP echo: every datagram goes back to its sender, prefixed with "echo: ".
interface Peer {
  hostname: string;
  port: number;
}

const encoder = new TextEncoder();

export default {
  message(bytes: Uint8Array, peer: Peer, socket: { send(data: Uint8Array | string, peer: Peer): void }) {
    const prefix = encoder.encode("echo: ");
    const reply = new Uint8Array(prefix.length + bytes.length);
    reply.set(prefix);
    reply.set(bytes, prefix.length);
    socket.send(reply, peer);
  },
};
