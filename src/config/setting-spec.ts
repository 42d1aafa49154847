import type { Engine } from "../runtime/detect.ts";

/**
 * The shape of one setting's entry in the tables of src/config/options.ts,
 * limit-options.ts and websocket-options.ts. A leaf module: the tables import
 * it, so that options.ts can import the sub-tables without a cycle.
 */

/** The sections of `lsky serve --help`, in the order shown. */
export const SETTING_GROUPS = {
  listening: "Listening",
  workers: "Workers and engine",
  limits: "Request limits",
  tls: "TLS and proxies",
  static: "Static files and compression",
  websocket: "WebSocket",
  store: "Shared tables and cache",
  cluster: "Cluster (several servers on Redis)",
  observability: "Observability",
  development: "Development",
} as const;
export type SettingGroup = keyof typeof SETTING_GROUPS;

export interface DefaultContext {
  /** The engine lsky itself is running on. */
  currentEngine: Engine;
}

/** A setting named `K` whose value is a `V`. */
export interface Setting<K extends string, V> {
  key: K;
  /** Where `--help` lists it. */
  group: SettingGroup;
  /** The long flag, without dashes. */
  flag: string;
  /** A one-letter alias (`-p`), for the settings typed most often. */
  short?: string;
  /** The default as `--help` states it, when it depends on the machine. */
  defaultText?: string;
  /** Environment variables, first found wins. */
  env: readonly string[];
  /** A boolean flag takes no value on the command line. */
  boolean?: boolean;
  /** Shown in `--help`. */
  valueName?: string;
  /** Never printed (`lsky config`, the dashboard): only whether it is set. */
  secret?: boolean;
  description: string;
  parse(text: string): V;
  /** Reads a structured value from a config file (objects, arrays); undefined: not this shape. */
  fromFile?(value: object): V | undefined;
  defaultValue(context: DefaultContext): V;
}

/** The entry for key `K` of the settings object `S`. */
export type SettingOf<S, K extends keyof S & string> = Setting<K, S[K]>;

/**
 * The declaration helper for one settings object: checks each entry against
 * the type of its key's value, and keeps the key's literal type.
 */
export function settingFor<S>() {
  return <K extends keyof S & string>(spec: SettingOf<S, K>): SettingOf<S, K> => spec;
}
