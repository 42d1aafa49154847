import { serveNodeHttp } from "./node-http.ts";
import type { IncomingMessage } from "node:http";
import type { EngineAdapter } from "./types.ts";
import { lightweightBodyLength } from "./node-body-length.ts";

/** Node's adapter: node:http in a cluster worker (see node-http.ts). */
export const nodeAdapter: EngineAdapter = {
  engine: "node",
  version: process.versions.node,
  // Node's parser limit is set above lsky's (see node-http.ts).
  headCeiling: 0,
  prechecks: true,
  bodyLength: lightweightBodyLength,
  // node:http keys every request's fields (@hono/node-server reads Host from it).
  headerRecord: (context) => (context as { incoming?: IncomingMessage }).incoming?.headers,
  serve: (options) => serveNodeHttp(options, { reusePort: false, overrideGlobalObjects: true }),
};
