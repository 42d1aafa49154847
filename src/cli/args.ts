// Arguments are parsed with node:util parseArgs, which Bun, Deno and Node all
// ship. Deno's @std/cli lives on JSR, which an npm-only install cannot reach.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { closestMatch } from "../config/closest.ts";
import { SETTINGS, type ServeSettings, type SettingSpec } from "../config/options.ts";
import { LskyError } from "../errors.ts";

type OptionConfigs = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses a command's arguments; unknown flags and missing values are usage errors (exit 2). */
export function parseCommandArgs(command: string, args: string[], options: OptionConfigs): ParsedCommand {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedCommand["values"], positionals };
  } catch (error) {
    throw new LskyError("USAGE", usageMessage(error, Object.keys(options)), { hint: `Run "lsky ${command} --help" for the options` });
  }
}

function usageMessage(error: unknown, known: string[]): string {
  const text = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(text);
  if (unknown) {
    const suggestion = unknown[1]!.startsWith("--") ? closestMatch(unknown[1]!.slice(2), known) : undefined;
    return `Unknown option "${unknown[1]}"${suggestion ? `: did you mean "--${suggestion}"?` : ""}`;
  }
  const missing = /Option '([^']+)' argument missing/.exec(text);
  // parseArgs names the option as "-p, --port <value>"; the user typed "--port".
  if (missing) return `Option "${missing[1]?.split(",").pop()?.replace(/<value>/, "").trim()}" needs a value`;
  const positional = /Unexpected argument '([^']+)'/.exec(text);
  if (positional) return `Unexpected argument "${positional[1]}"`;
  return text.split(".")[0] ?? text;
}

/** The serve options as parseArgs wants them, built from the one settings table. */
export function serveOptionConfigs(): OptionConfigs {
  const options: OptionConfigs = {
    help: { type: "boolean", short: "h" }, config: { type: "string" }, env: { type: "string" },
  };
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    options[spec.flag] = { type: spec.boolean ? "boolean" : "string", ...(spec.short ? { short: spec.short } : {}) };
  }
  return options;
}

/** Picks the serve settings given as flags, as text for the config resolver. */
export function settingFlags(values: ParsedCommand["values"]): Partial<Record<keyof ServeSettings, string>> {
  const flags: Partial<Record<keyof ServeSettings, string>> = {};
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const value = values[spec.flag];
    if (value !== undefined) flags[spec.key] = String(value);
  }
  return flags;
}
