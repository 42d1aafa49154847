// The HTTP side: every worker hears the heartbeat process over the bus and
// answers with the last beat it heard and how many.
import { table, type Env, type LskyGlobal } from "lsky";

const { bus } = (globalThis as unknown as { lsky: LskyGlobal }).lsky;
const heard = { beats: 0, last: null as null | { at: string; count: number } };
bus.subscribe("heartbeat", (data) => {
  heard.beats++;
  heard.last = data as { at: string; count: number };
});

export default {
  fetch: async (_request: Request, env: Env) =>
    Response.json({ worker: env.bus.workerId, ...heard, counted: (await table("beats").get("heartbeat"))?.count ?? 0 }),
};
