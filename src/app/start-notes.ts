import { relative } from "node:path";

/**
 * One line when the app's default export names a port that lsky does not
 * listen on (`export default { port: 3000, fetch }`, as `bun run` reads it):
 * lsky's port comes from --port, PORT or LSKY_PORT, and the export's is not
 * used. Undefined when there is nothing to say.
 */
export function appPortNote(app: unknown, listening: number): string | undefined {
  const port = (app as { port?: unknown } | null)?.port;
  const wanted = typeof port === "string" && /^\d+$/.test(port) ? Number(port) : port;
  // Port 0: lsky listens on a Unix socket only, where no port applies.
  if (typeof wanted !== "number" || wanted === listening || listening === 0) return undefined;
  return `the app's default export sets port ${wanted}; lsky listens on ${listening} (set it with --port, PORT or LSKY_PORT)`;
}

/**
 * One line when lsky's static stage answers before the app: files in that
 * folder never reach the app's routes or middleware (its own serveStatic
 * included). Undefined without a static folder or without an app of the user's.
 */
export function staticFirstNote(staticDir: string, entry: string | undefined): string | undefined {
  if (!staticDir || !entry) return undefined;
  const shown = relative(process.cwd(), staticDir) || ".";
  return `files in ${shown.startsWith("..") ? staticDir : `./${shown}`} are served before the app, ` +
    "so its routes and middleware do not see them (--static off leaves them to the app)";
}
