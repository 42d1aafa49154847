// A line-based TCP echo: every complete line a client sends comes back,
// prefixed with "echo: ". Bytes without a newline yet wait for the rest.
interface Conn {
  write(data: Uint8Array | string): boolean;
  end(): void;
  remoteAddr: { hostname: string; port: number };
}

const pending = new WeakMap<Conn, string>();
const decoder = new TextDecoder();

export default {
  open(conn: Conn) {
    pending.set(conn, "");
  },
  data(conn: Conn, bytes: Uint8Array) {
    const text = (pending.get(conn) ?? "") + decoder.decode(bytes);
    const lines = text.split("\n");
    pending.set(conn, lines.pop() ?? "");
    for (const line of lines) {
      if (line.trim() === "quit") return conn.end();
      conn.write(`echo: ${line}\n`);
    }
  },
  close(conn: Conn) {
    pending.delete(conn);
  },
};
