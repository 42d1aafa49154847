import { LskyError } from "../errors.ts";
import { currentEngine } from "../runtime/detect.ts";
import { engineLoadedEnvNames } from "../runtime/initial-env.ts";
import { findConfigFile, loadConfigFile } from "./config-file.ts";
import { loadDotenvFiles, type LoadedEnvFile } from "./dotenv.ts";
import type { ServeSettings } from "./options.ts";
import type { ProcessSpec } from "./process-config.ts";
import { type ResolvedSettings, resolveSettings } from "./resolve.ts";

export interface ConfigInput {
  /** Serve settings given as flags, as text. */
  flags: Partial<Record<keyof ServeSettings, string>>;
  /** The app given on the command line. */
  entry?: string;
  /** --config PATH */
  configPath?: string;
  /** --env NAME: load .env.NAME over .env */
  envName?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface EffectiveConfig extends ResolvedSettings {
  entry?: string;
  entrySource: "argument" | "file" | "none";
  /** The config file used, if any. */
  configFile?: string;
  envFiles: LoadedEnvFile[];
  /** Custom processes from the config file (docs/PROCESSES.md). */
  processes?: ProcessSpec[];
}

/**
 * Everything `lsky serve` and `lsky config` start from: loads `.env` (and
 * `.env.NAME`) into the environment, then the config file, then applies
 * precedence flag > environment > file > default to every setting.
 */
export async function loadEffectiveConfig(input: ConfigInput): Promise<EffectiveConfig> {
  const cwd = input.cwd ?? process.cwd();
  const env = input.env ?? process.env;
  const envName = input.envName ?? nonEmpty(env.LSKY_ENV);
  if (envName !== undefined && !/^[\w.-]+$/.test(envName)) {
    throw new LskyError("USAGE", `Invalid value "${envName}" for --env: expected a name such as "production"`);
  }
  const envFiles = loadDotenvFiles(cwd, envName, env, input.env ? new Set() : engineLoadedEnvNames());
  const configFile = findConfigFile(input.configPath ?? nonEmpty(env.LSKY_CONFIG), cwd);
  const file = configFile ? await loadConfigFile(configFile) : undefined;
  const resolved = resolveSettings({
    flags: input.flags,
    env,
    file: file?.settings,
    context: { currentEngine: currentEngine() },
  });
  const entry = input.entry ?? file?.entry;
  const entrySource = input.entry !== undefined ? "argument" : file?.entry !== undefined ? "file" : "none";
  return { ...resolved, entry, entrySource, configFile, envFiles, processes: file?.processes ?? [] };
}

function nonEmpty(text: string | undefined): string | undefined {
  return text === undefined || text === "" ? undefined : text;
}
