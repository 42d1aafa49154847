import { closeSync, openSync, readdirSync, readlinkSync, readSync } from "node:fs";

/**
 * Tells a listener that stopped accepting from one that is merely idle or
 * busy. Deno (Deno.serve and its node:http) stops accepting for good after
 * accept failed for lack of descriptors, yet its socket stays open: the kernel
 * keeps queueing connections on it that nobody takes, while the worker still
 * looks healthy. Linux shows a listening socket's accept queue in
 * /proc/net/tcp (rx_queue of a LISTEN row), so a worker can see its own.
 *
 * Dead means: connections waited in the queue at STREAK checks in a row,
 * while the worker served no request and had descriptors to accept with.
 * A live listener empties its queue within milliseconds; a busy one serves.
 */
export const LISTENER_CHECK_MS = 2000;
const STREAK = 3;

const LISTEN_STATE = "0A";

/** A LISTEN row of /proc/net/tcp or tcp6: its port, accept queue and socket inode. */
export interface ListenRow {
  port: number;
  queued: number;
  inode: string;
}

export function parseListenRows(text: string): ListenRow[] {
  const rows: ListenRow[] = [];
  for (const line of text.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] !== LISTEN_STATE) continue;
    const port = parseInt(fields[1]!.split(":")[1]!, 16);
    const queued = parseInt(fields[4]!.split(":")[1]!, 16);
    rows.push({ port, queued, inode: fields[9]! });
  }
  return rows;
}

export interface ListenerFacts {
  /** The inodes of this process's sockets (from /proc/self/fd). */
  socketInodes(): Set<string>;
  /** The LISTEN rows of the network namespace. */
  listenRows(): ListenRow[];
}

export const PROC_FACTS: ListenerFacts = {
  socketInodes() {
    const inodes = new Set<string>();
    for (const fd of readdirSync("/proc/self/fd")) {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
        if (match) inodes.add(match[1]!);
      } catch {
        // Closed between the listing and the look.
      }
    }
    return inodes;
  },
  listenRows() {
    return ["/proc/net/tcp", "/proc/net/tcp6"].flatMap((path) => {
      try {
        return parseListenRows(readListenSection(path));
      } catch {
        return [];
      }
    });
  },
};

/**
 * The kernel lists listening sockets before the others, and makes the text
 * as it is read: stopping at the first other row keeps a check cheap on a
 * host holding tens of thousands of connections (megabytes of rows).
 */
function readListenSection(path: string): string {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(16 * 1024);
    let text = "";
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) return text;
      text += buffer.toString("latin1", 0, read);
      if (/\n *\d+: \S+ \S+ (?!0A)[0-9A-F]{2} /.test(text)) return text;
    }
  } finally {
    closeSync(fd);
  }
}

export interface ListenerCheck {
  /**
   * One sample. `served`: requests handled so far; `exhausted`: no free
   * descriptor right now (accepting cannot work, so nothing is concluded).
   * Returns true once the listener is judged dead.
   */
  sample(served: number, exhausted: boolean): boolean;
}

export function createListenerCheck(port: number, facts: ListenerFacts = PROC_FACTS): ListenerCheck {
  let inodes: Set<string> | undefined;
  let lastServed = -1;
  let streak = 0;
  const queuedOnOwn = (): number | undefined => {
    // Our listener's inode is found once; the scan of every descriptor is not repeated.
    inodes ??= ownListeners(port, facts);
    if (inodes.size === 0) {
      inodes = undefined;
      return undefined;
    }
    const rows = facts.listenRows().filter((row) => row.port === port && inodes!.has(row.inode));
    return rows.length === 0 ? undefined : Math.max(...rows.map((row) => row.queued));
  };
  return {
    sample(served, exhausted) {
      const idle = served === lastServed;
      lastServed = served;
      if (!idle || exhausted) return void (streak = 0), false;
      let queued: number | undefined;
      try {
        queued = queuedOnOwn();
      } catch {
        queued = undefined; // /proc unreadable (no descriptor left, or not Linux)
      }
      streak = queued !== undefined && queued > 0 ? streak + 1 : 0;
      return streak >= STREAK;
    },
  };
}

function ownListeners(port: number, facts: ListenerFacts): Set<string> {
  const own = facts.socketInodes();
  return new Set(facts.listenRows().filter((row) => row.port === port && own.has(row.inode)).map((row) => row.inode));
}
