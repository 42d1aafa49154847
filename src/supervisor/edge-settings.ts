import { accessSync, constants } from "node:fs";
import type { ServeSettings } from "../config/options.ts";
import { socketPaths } from "../config/unix-socket.ts";
import { LskyError } from "../errors.ts";
import type { Engine } from "../runtime/types.ts";
import { claimPort } from "./port-check.ts";
import { claimUnixSocket } from "./unix-socket-check.ts";

/** Where the server listens, as claimed by the supervisor before any worker starts. */
export interface ListenPlan {
  /** The TCP port (the kernel's pick when 0 was asked); 0 on a Unix socket. */
  port: number;
  /** Unix socket paths, one shared or one per worker; empty on TCP. */
  socketPaths: string[];
  /** The plain-HTTP redirect port, 0 when off. */
  redirectPort: number;
}

/** Checks the TLS and listen settings together and claims the port, sockets and redirect port. */
export async function claimListeners(settings: ServeSettings, engine: Engine): Promise<ListenPlan> {
  checkTls(settings);
  const paths = socketPaths(settings, engine);
  for (const path of paths) await claimUnixSocket(path);
  const port = paths.length > 0 ? 0 : await claimPort(settings.host, settings.port);
  const redirectPort = settings.httpRedirect ? await claimPort(settings.host, settings.httpRedirect) : 0;
  return { port, socketPaths: paths, redirectPort };
}

function checkTls(settings: ServeSettings): void {
  if (Boolean(settings.tlsCert) !== Boolean(settings.tlsKey)) {
    throw new LskyError("INVALID_CONFIG", "--tls-cert and --tls-key go together: give both or neither", {
      hint: "Both are PEM files: the certificate (chain) and its private key",
    });
  }
  if (settings.httpRedirect && !settings.tlsCert) {
    throw new LskyError("INVALID_CONFIG", `--http-redirect ${settings.httpRedirect} needs --tls-cert and --tls-key`, {
      hint: "Behind a proxy that terminates TLS, let the proxy redirect instead",
    });
  }
  for (const [flag, path] of [["--tls-cert", settings.tlsCert], ["--tls-key", settings.tlsKey]] as const) {
    if (!path) continue;
    try {
      accessSync(path, constants.R_OK);
    } catch (error) {
      throw new LskyError("INVALID_CONFIG", `Cannot read ${flag} "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }
}

/** The start line's "at ..." part and its notes, e.g. "https://0.0.0.0:8443 (HTTP/2 and HTTP/1.1)". */
export function describeListen(settings: ServeSettings, plan: ListenPlan): string {
  const scheme = settings.tlsCert ? "https" : "http";
  // A wildcard address is no address a browser can open: show the URL a person clicks.
  const everywhere = settings.host === "0.0.0.0" || settings.host === "::";
  const host = everywhere ? "localhost" : settings.host.includes(":") ? `[${settings.host}]` : settings.host;
  const where = plan.socketPaths.length === 0
    ? `${scheme}://${host}:${plan.port}`
    : plan.socketPaths.length === 1
      ? `unix:${plan.socketPaths[0]}`
      : `unix:${plan.socketPaths.join(",")} (one socket per worker)`;
  const notes: string[] = [];
  if (everywhere && plan.socketPaths.length === 0) notes.push(`all ${settings.host === "::" ? "IPv6 and IPv4 " : "IPv4 "}addresses`);
  if (settings.tlsCert) notes.push("TLS, HTTP/2 and HTTP/1.1");
  if (plan.redirectPort) notes.push(`http://${host}:${plan.redirectPort} redirects to https`);
  if (settings.trustProxy.length) notes.push(`trusting proxies ${settings.trustProxy.join(",")}`);
  return notes.length ? `${where} [${notes.join("; ")}]` : where;
}
