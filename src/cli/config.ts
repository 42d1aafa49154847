import { relative } from "node:path";
import { type EffectiveConfig, loadEffectiveConfig } from "../config/load-config.ts";
import { formatSettingValue } from "../config/format-value.ts";
import { SETTINGS, type SettingSpec } from "../config/options.ts";
import { parseCommandArgs, serveOptionConfigs } from "./args.ts";
import { configHelp } from "./help.ts";
import { configInput } from "./serve.ts";

/**
 * `lsky config [--json] [serve options]`: the settings `lsky serve` would use
 * with the same arguments, and where each came from. Only settings are
 * printed, never other environment variables (which may hold secrets).
 */
export async function configCommand(args: string[]): Promise<number> {
  const options = { ...serveOptionConfigs(), json: { type: "boolean" as const } };
  const { values, positionals } = parseCommandArgs("config", args, options);
  if (values.help) return void process.stdout.write(configHelp()), 0;
  const config = await loadEffectiveConfig(configInput("config", values, positionals));
  process.stdout.write(values.json ? `${JSON.stringify(configReport(config), null, 2)}\n` : formatConfig(config));
  return 0;
}

/** The effective configuration as data (`lsky config --json`). */
export function configReport(config: EffectiveConfig) {
  const settings: Record<string, { value: unknown; source: string; flag: string; env: readonly string[] }> = {};
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const value = spec.secret && config.settings[spec.key] !== "" ? "(set)" : config.settings[spec.key];
    settings[spec.key] = { value, source: config.sources[spec.key], flag: `--${spec.flag}`, env: spec.env };
  }
  return {
    configFile: config.configFile ?? null,
    envFiles: config.envFiles.map((f) => f.path),
    entry: { value: config.entry ?? null, source: config.entrySource },
    settings,
  };
}

/** The effective configuration as an aligned table. */
export function formatConfig(config: EffectiveConfig): string {
  const where = (path: string) => relative(process.cwd(), path) || path;
  const fileLabel = config.configFile ? where(config.configFile) : "file";
  const head = [
    `config file: ${config.configFile ? where(config.configFile) : "(none)"}`,
    `env files:   ${config.envFiles.length ? config.envFiles.map((f) => where(f.path)).join(", ") : "(none)"}`,
    `entry:       ${config.entry ?? "(built-in app)"}${config.entrySource === "none" ? "" : `  (${config.entrySource})`}`,
    "",
  ];
  const rows = (SETTINGS as readonly SettingSpec[]).map((spec) => {
    const source = config.sources[spec.key];
    return [spec.key, formatSettingValue(spec, config.settings[spec.key]), source === "file" ? `file (${fileLabel})` : source];
  });
  const table = [["SETTING", "VALUE", "SOURCE"], ...rows];
  const widths = [0, 1].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  return [...head, ...table.map((row) => `${row[0]!.padEnd(widths[0]!)}  ${row[1]!.padEnd(widths[1]!)}  ${row[2]}`)].join("\n") + "\n";
}
