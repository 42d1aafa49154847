import { LskyError } from "../errors.ts";
import { type DefaultContext, type ServeSettings, SETTINGS, type SettingSpec } from "./options.ts";

export type SettingSource = "flag" | "env" | "file" | "default";

export interface ResolvedSettings {
  settings: ServeSettings;
  /** Where each value came from, for `lsky config` and error messages. */
  sources: Record<keyof ServeSettings, SettingSource>;
}

export interface ResolveInput {
  /** Values given as flags, keyed by setting key, as text (booleans as "true"). */
  flags: Partial<Record<keyof ServeSettings, string>>;
  env: Record<string, string | undefined>;
  /** Values from a config file, already typed. */
  file?: Partial<ServeSettings>;
  context: DefaultContext;
}

/**
 * Applies precedence flag > environment > file > default to every setting.
 * A bad value fails with one line naming the setting, the value and what is
 * allowed (exit code 2).
 */
export function resolveSettings(input: ResolveInput): ResolvedSettings {
  const settings = {} as Record<string, unknown>;
  const sources = {} as Record<string, SettingSource>;
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const [value, source] = resolveOne(spec, input);
    settings[spec.key] = value;
    sources[spec.key] = source;
  }
  return { settings: settings as unknown as ServeSettings, sources: sources as ResolvedSettings["sources"] };
}

function resolveOne(spec: SettingSpec, input: ResolveInput): [unknown, SettingSource] {
  const flagText = input.flags[spec.key];
  if (flagText !== undefined) return [parseOrThrow(spec, flagText, `--${spec.flag}`), "flag"];
  for (const name of spec.env) {
    const envText = input.env[name];
    if (envText !== undefined && envText !== "") return [parseOrThrow(spec, envText, name), "env"];
  }
  const fileValue = input.file?.[spec.key];
  if (fileValue !== undefined) return [fileValue, "file"];
  return [spec.defaultValue(input.context), "default"];
}

function parseOrThrow(spec: SettingSpec, text: string, origin: string): unknown {
  try {
    return spec.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new LskyError("INVALID_CONFIG", `Invalid value "${text}" for ${origin}: ${why}`, {
      hint: `See --${spec.flag} in "lsky serve --help"`,
    });
  }
}
