import { formatSettingValue } from "../config/format-value.ts";
import { SETTING_GROUPS, SETTINGS, type SettingGroup, type SettingSpec } from "../config/options.ts";
import { currentEngine } from "../runtime/detect.ts";
import { VERSION } from "../version.ts";

/** The commands, as `lsky --help` lists them and as typos are matched against. */
export const COMMANDS = ["serve", "status", "reload", "stop", "config", "compile", "doctor", "help"] as const;

export function mainHelp(): string {
  return `lsky ${VERSION}: an application server for web-standard fetch apps

Usage:
  lsky serve [app.ts] [options]   Serve an app (no app: the built-in welcome app)
  lsky status [--json] [-i SECS]  Show the server started here, or list every lsky server you run
  lsky reload                     Replace every worker, one at a time, without dropping a request
  lsky stop [--no-wait]           Drain the workers, stop the server and wait until it has exited
  lsky config [--json]            Print the effective settings and where each came from
  lsky compile app.ts -o FILE     Build one executable that contains lsky and the app
  lsky doctor                     Print what lsky runs with here (engine, CPUs, open-files limit)
  lsky help COMMAND               Show a command's options (also: lsky COMMAND --help)
  lsky --version                  Print the version

An app is a module whose default export has fetch(request): a Hono app, or
an object such as  export default { fetch: (req) => new Response("hi") }.

Examples:
  lsky serve app.ts -w 4 -p 3000  Four workers on port 3000
  lsky status                     What the server started in this directory is doing
`;
}

const FLAG_WIDTH = 30;

function optionRow(flag: string, description: string, details: string): string {
  const pad = "".padEnd(FLAG_WIDTH);
  return `  ${flag.padEnd(FLAG_WIDTH)} ${description}\n  ${pad} ${details}`;
}

function settingRow(spec: SettingSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${spec.flag}${spec.valueName ? ` ${spec.valueName}` : ""}`;
  return optionRow(flag, spec.description, `default: ${defaultText(spec)}; env: ${spec.env.join(", ")}`);
}

/** The default as a person reads it, never a value measured on the machine that prints the help. */
export function defaultText(spec: SettingSpec): string {
  if (spec.defaultText) return spec.defaultText;
  const value = spec.defaultValue({ currentEngine: currentEngine() });
  if (spec.boolean) return value ? "on" : "off";
  if (value === "" || (Array.isArray(value) && value.length === 0)) return "none";
  if (value === 0 && spec.valueName !== "N" && spec.valueName !== "BYTES") return "off";
  return formatSettingValue(spec, value);
}

export function serveHelp(): string {
  const sections = (Object.keys(SETTING_GROUPS) as SettingGroup[]).map((group) => {
    const rows = (SETTINGS as readonly SettingSpec[]).filter((s) => s.group === group).map(settingRow);
    return rows.length === 0 ? "" : `${SETTING_GROUPS[group]}:\n${rows.join("\n")}\n`;
  }).filter(Boolean);
  return `Usage: lsky serve [app.ts] [options]

Serves the app (no app: the built-in welcome page). Every option is also an
LSKY_* environment variable and a key of lsky.config.ts; precedence:
flag > environment > config file > default.

${sections.join("\n")}
Configuration:
${optionRow("    --config PATH", "Config file", "default: lsky.config.ts, .mts, .mjs, .js or .json here; env: LSKY_CONFIG")}
${optionRow("    --env NAME", "Load .env.NAME over .env (neither overrides the real environment)", "env: LSKY_ENV")}
${optionRow("-h, --help", "Show this help", "")}

Signals: SIGTERM or SIGINT stop gracefully (a second one forces), SIGHUP reloads.
`.replace(/ +\n/g, "\n");
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
    : command === "stop"
      ? `  --no-wait              Return once the server has begun to stop, not when it has exited\n`
      : "";
  const reach = command === "status"
    ? `Reaches the server started in this directory, or the one given by --port or
--pid. With neither and no server started here, lists every lsky server you run.`
    : "Reaches the server started in this directory, or the one given by --port or --pid.";
  return `Usage: lsky ${command} [--port N | --pid PID]

${reach}
${extra}  --port N               The server's port
  --pid PID              The server's supervisor process id
Exit codes: 0 ok, 1 failure, 2 usage error, 3 no server running.
`;
}
