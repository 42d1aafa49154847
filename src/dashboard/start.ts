import { randomBytes } from "node:crypto";
import { parseAdminAddress } from "../config/admin-address.ts";
import type { AdminRoutes } from "../supervisor/admin-server.ts";
import { Dashboard, type DashboardSource } from "./dashboard.ts";
import { type DashboardActions, createDashboardRoutes } from "./routes.ts";

export interface StartedDashboard {
  routes: AdminRoutes;
  /** The line to print once at start: where the page is, and how its actions are unlocked. */
  banner: string;
  stop(): void;
}

/**
 * Starts sampling for the dashboard and returns its admin routes. Without
 * --admin-token a random token is made; it is printed once, in the page's
 * address fragment, and kept nowhere else.
 */
export function startDashboard(source: DashboardSource, actions: DashboardActions, log: (message: string) => void): StartedDashboard {
  const configured = source.settings.adminToken;
  const token = configured || randomBytes(16).toString("hex");
  const dashboard = new Dashboard(source);
  dashboard.start();
  const routes = createDashboardRoutes({
    dashboard,
    actions,
    token,
    adminHost: parseAdminAddress(source.settings.admin).host,
    log,
  });
  const url = `http://${source.settings.admin}/`;
  const banner = configured
    ? `dashboard at ${url} (actions need the token from --admin-token)`
    : `dashboard at ${url}#token=${token} (the token unlocks reload and stop; it is shown only here)`;
  return { routes, banner, stop: () => dashboard.stop() };
}
