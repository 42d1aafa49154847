import { DASHBOARD_ASSETS } from "./_assets.ts";
import type { Dashboard } from "./dashboard.ts";
import { refuseForeign, refuseWithoutToken } from "./guard.ts";

export interface DashboardActions {
  reload(): Promise<unknown>;
  /** Replaces one slot's worker; false when the slot has none. */
  replaceWorker(slot: number): Promise<boolean>;
}

export interface DashboardRoutesOptions {
  dashboard: Pick<Dashboard, "events" | "hello">;
  actions: DashboardActions;
  token: string;
  /** The admin listener's configured host, also accepted in the Host header. */
  adminHost: string;
  log(message: string): void;
}

// Scripts and styles come only from this listener; nothing may frame the page
// (a frame could trick a click on the confirmation). uPlot sets inline styles.
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-cache",
};

const STOP_PATH = /^\/api\/workers\/(\d+)\/stop$/;

/**
 * The dashboard's routes on the admin listener: the page and its assets,
 * `/api/state`, `/api/events` (server-sent events) and the two actions.
 * Undefined for a path that is not the dashboard's.
 */
export function createDashboardRoutes(options: DashboardRoutesOptions): (request: Request) => Response | Promise<Response> | undefined {
  return (request) => {
    const path = new URL(request.url).pathname;
    const asset = DASHBOARD_ASSETS[path];
    const isApi = path.startsWith("/api/");
    if (!asset && !isApi) return undefined;
    const refused = refuseForeign(request, options.adminHost);
    if (refused) return refused;
    if (asset) return onlyGet(request) ?? new Response(asset.body, { headers: { ...PAGE_HEADERS, "content-type": asset.type } });
    if (path === "/api/state") return onlyGet(request) ?? Response.json(options.dashboard.hello(), { headers: PAGE_HEADERS });
    if (path === "/api/events") return onlyGet(request) ?? options.dashboard.events();
    if (path === "/api/reload") return action(request, options, "reload", async () => options.actions.reload());
    const stop = STOP_PATH.exec(path);
    if (stop) return action(request, options, `stop worker ${stop[1]}`, () => stopWorker(options.actions, Number(stop[1])));
    return Response.json({ error: `No such API: ${path}` }, { status: 404 });
  };
}

async function action(request: Request, options: DashboardRoutesOptions, name: string, run: () => Promise<unknown>): Promise<Response> {
  if (request.method !== "POST") return Response.json({ error: "Use POST" }, { status: 405, headers: { allow: "POST" } });
  const refused = refuseWithoutToken(request, options.token);
  if (refused) {
    options.log(`dashboard: ${name} refused (${request.headers.has("authorization") ? "wrong token" : "no token"})`);
    return refused;
  }
  options.log(`dashboard: ${name} requested`);
  try {
    const result = await run();
    return result instanceof Response ? result : Response.json({ ok: true, ...(result as object) });
  } catch (error) {
    return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
  }
}

async function stopWorker(actions: DashboardActions, slot: number): Promise<Response> {
  if (!(await actions.replaceWorker(slot))) return Response.json({ error: `Worker ${slot} has no running process to stop` }, { status: 409 });
  return Response.json({ ok: true, replaced: slot });
}

function onlyGet(request: Request): Response | undefined {
  if (request.method === "GET" || request.method === "HEAD") return undefined;
  return Response.json({ error: "Use GET" }, { status: 405, headers: { allow: "GET, HEAD" } });
}
