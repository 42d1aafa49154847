import { readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { WorkerSpec } from "../bus/protocol.ts";
import { socketPathForSlot } from "../config/unix-socket.ts";
import { LskyError } from "../errors.ts";
import { createHttpsRedirect } from "../http/https-redirect.ts";
import type { EngineAdapter, FetchHandler, HttpServer, ServeOptions, TlsFiles } from "../runtime/types.ts";

/**
 * Starts a worker's listeners: the main one (TCP port or Unix socket, plain
 * or TLS) and, with `--http-redirect`, the plain-HTTP one that redirects to
 * HTTPS. Returns them as one server that closes them all.
 */
export async function startListeners(
  spec: WorkerSpec,
  adapter: EngineAdapter,
  handler: FetchHandler,
  shouldClose: () => boolean,
  context: ServeOptions["context"],
  websockets?: ServeOptions["websockets"],
  appWebSocket?: unknown,
  onAcceptFailed?: (error: unknown) => void,
): Promise<HttpServer> {
  const { settings } = spec;
  const tls = readTlsFiles(settings.tlsCert, settings.tlsKey);
  const engineSettings = { limits: settings, denoServer: settings.denoServer };
  const base = { hostname: settings.host, port: spec.port, handler, shouldClose, tls, context, websockets, appWebSocket, onAcceptFailed, ...engineSettings };
  const unixPath = socketPathForSlot(settings, adapter.engine, spec.slot);
  const main = unixPath ? await serveUnix(adapter, { ...base, unixPath }) : await adapter.serve(base);
  if (!settings.httpRedirect || !tls) return main;
  const redirect = await adapter.serve({
    hostname: settings.host, port: settings.httpRedirect, handler: createHttpsRedirect(main.port), shouldClose, context,
    ...engineSettings,
    // One kind of server per Deno worker: @hono/node-server (behind Deno's
    // node:http path) swaps the global Response for its own, which Deno.serve
    // (used for TLS) refuses. The redirect follows the main listener.
    denoServer: "native",
  });
  return {
    port: main.port,
    keepsIdleConnections: main.keepsIdleConnections === true && redirect.keepsIdleConnections === true,
    close: (options) => Promise.all([main.close(options), redirect.close(options)]).then(() => undefined),
    forceClose: () => (main.forceClose(), redirect.forceClose()),
  };
}

/**
 * Bun and Deno bind the socket themselves: they bind a temporary name and
 * rename it over the real path, so a reload's new worker takes the path over
 * atomically while the old one drains the connections it already has (a
 * client never finds the path missing). On Node the cluster primary binds
 * the one shared socket.
 */
async function serveUnix(adapter: EngineAdapter, options: ServeOptions & { unixPath: string }): Promise<HttpServer> {
  if (adapter.engine === "node") return adapter.serve(options);
  const temporary = join(dirname(options.unixPath), `.lsky-${process.pid}.sock`);
  rmSync(temporary, { force: true });
  const server = await adapter.serve({ ...options, unixPath: temporary });
  renameSync(temporary, options.unixPath);
  return server;
}

function readTlsFiles(certPath: string, keyPath: string): TlsFiles | undefined {
  if (!certPath && !keyPath) return undefined;
  return { cert: readPem(certPath, "certificate"), key: readPem(keyPath, "key") };
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new LskyError("INVALID_CONFIG", `Cannot read the TLS ${what} "${path}": ${(error as Error).message}`, { cause: error });
  }
}
