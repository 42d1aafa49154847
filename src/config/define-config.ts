import type { LskyConfig } from "./file-values.ts";

export type { LskyConfig };

/**
 * Returns its argument: it exists so that an editor knows the config's type
 * and completes its keys.
 *
 * @example
 * // lsky.config.ts
 * import { defineConfig } from "lsky";
 * export default defineConfig({ entry: "app.ts", port: 8080, workers: 4 });
 */
export function defineConfig(config: LskyConfig): LskyConfig {
  return config;
}

/** The same function as a module, for config files loaded where the "lsky" package is not installed. */
export const DEFINE_CONFIG_MODULE = "export function defineConfig(config) { return config; }\n";
