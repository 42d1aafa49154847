import { Agent, request } from "node:http";
import type { Socket } from "node:net";

/** A request that got no 200 answer. */
export interface FailedRequest {
  /** performance.now() when the request was sent. */
  startedAt: number;
  /** The worker pid the connection answered from before, if it had answered at all. */
  connectionPid?: number;
  error: string;
}

export interface TaggedLoad {
  /** Answers counted per worker pid (from the x-worker-pid header). */
  readonly answeredBy: Map<number, number>;
  /** Requests answered so far. */
  answered(): number;
  /** The pid each client's current connection last answered from. */
  connectionPids(): Array<number | undefined>;
  /** Stops sending and resolves once every client finished its last request. */
  stop(): Promise<{ answered: number; failures: FailedRequest[] }>;
}

const BOUND_MS = 60_000;
/** Answers each worker gives on fresh connections before the clients keep theirs. */
const SPREAD_ANSWERS = 25;

/**
 * `clients` keep-alive connections to 127.0.0.1, each sending requests one
 * after another and remembering which worker pid its connection answers from,
 * so that a failed request can be traced to the worker its connection was on.
 * Bounded: it stops by itself after BOUND_MS. Until each of `workers`
 * different pids has answered SPREAD_ANSWERS requests, each client opens a
 * new connection for every request: on Node the workers race to accept
 * (SCHED_NONE), on a loaded host one worker can take every connection opened
 * at once, and with SO_REUSEPORT the 8 kept connections may all hash to one
 * worker, so that the other would never answer again.
 */
export function startTaggedLoad(port: number, clients: number, workers = 1): TaggedLoad {
  const answeredBy = new Map<number, number>();
  const failures: FailedRequest[] = [];
  const pids: Array<number | undefined> = new Array(clients).fill(undefined);
  let running = true;
  const stopTimer = setTimeout(() => (running = false), BOUND_MS);
  let answered = 0;
  const spread = () => answeredBy.size >= workers && [...answeredBy.values()].every((n) => n >= SPREAD_ANSWERS);

  const client = async (index: number) => {
    let agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const socketPid = new WeakMap<Socket, number>();
    while (running) {
      const startedAt = performance.now();
      let socket: Socket | undefined;
      try {
        const pid = await new Promise<number>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
            res.resume();
            res.on("error", reject);
            res.on("end", () => res.statusCode === 200 ? resolve(Number(res.headers["x-worker-pid"])) : reject(new Error(`status ${res.statusCode}`)));
          });
          req.on("socket", (s) => (socket = s));
          req.on("error", reject);
          req.end();
        });
        if (socket) socketPid.set(socket, pid);
        pids[index] = pid;
        answered++;
        answeredBy.set(pid, (answeredBy.get(pid) ?? 0) + 1);
        if (!spread()) {
          agent.destroy();
          agent = new Agent({ keepAlive: true, maxSockets: 1 });
        }
      } catch (error) {
        failures.push({ startedAt, connectionPid: socket && socketPid.get(socket), error: (error as Error).message });
        pids[index] = undefined;
      }
    }
    agent.destroy();
  };
  const all = Promise.all(Array.from({ length: clients }, (_, i) => client(i)));
  return {
    answeredBy,
    answered: () => answered,
    connectionPids: () => [...pids],
    stop: async () => {
      running = false;
      clearTimeout(stopTimer);
      await all;
      return { answered, failures };
    },
  };
}
