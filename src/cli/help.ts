import { SETTINGS, type SettingSpec } from "../config/options.ts";
import { VERSION } from "../version.ts";

export function mainHelp(): string {
  return `lsky ${VERSION}: an application server for web-standard fetch apps

Usage:
  lsky serve [app.ts] [options]   Serve an app (no app: the built-in welcome app)
  lsky status [--json] [-i SECS]  Show the running server's workers
  lsky reload                     Replace every worker, one at a time, without dropping a request
  lsky stop                       Drain the workers and stop the server
  lsky config [--json]            Print the effective settings and where each came from
  lsky compile app.ts -o FILE     Build one executable that contains lsky and the app
  lsky doctor                     Print what lsky runs with here (engine, CPUs, open-files limit)
  lsky --version                  Print the version

An app is a module whose default export has fetch(request): a Hono app, or
an object such as  export default { fetch: (req) => new Response("hi") }.

Run "lsky serve --help" for the serve options.
`;
}

export function serveHelp(): string {
  const rows = (SETTINGS as readonly SettingSpec[]).map((s) => {
    const flag = `--${s.flag}${s.valueName ? ` ${s.valueName}` : ""}`;
    return `  ${flag.padEnd(28)} ${s.description}\n  ${"".padEnd(28)} env: ${s.env.join(", ")}`;
  });
  return `Usage: lsky serve [app.ts] [options]

Options (precedence: flag > environment > config file > default):
${rows.join("\n")}
  ${"--config PATH".padEnd(28)} Config file (default: lsky.config.ts, .mts, .mjs, .js or .json here)
  ${"".padEnd(28)} env: LSKY_CONFIG
  ${"--env NAME".padEnd(28)} Load .env.NAME over .env (neither overrides the real environment)
  ${"".padEnd(28)} env: LSKY_ENV
  ${"-h, --help".padEnd(28)} Show this help

Signals: SIGTERM or SIGINT stop gracefully (a second one forces), SIGHUP reloads.
`;
}

export function configHelp(): string {
  return `Usage: lsky config [app.ts] [--json] [serve options]

Prints the settings "lsky serve" would use with the same arguments, and where
each came from: flag, env, file or default. Only lsky's settings are shown.
  --json                 Print JSON
See "lsky serve --help" for the serve options.
`;
}

export function controlHelp(command: string): string {
  const extra = command === "status"
    ? `  --json                 Print JSON\n  -i, --interval SECS    Refresh every SECS seconds until interrupted\n`
    : "";
  return `Usage: lsky ${command} [--port N]

Reaches the server started in this directory, or the one listening on --port.
${extra}  --port N               The server's port
Exit codes: 0 ok, 1 failure, 2 usage error, 3 no server running.
`;
}
