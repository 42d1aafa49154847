import { dirname } from "node:path";
import { findUp, readJsonc } from "./app-config-files.ts";

/** The JSX settings of a tsconfig.json's compilerOptions that change how a file compiles. */
export interface JsxSettings {
  jsx?: string;
  jsxImportSource?: string;
  jsxFactory?: string;
  jsxFragmentFactory?: string;
}

const KEYS = ["jsx", "jsxImportSource", "jsxFactory", "jsxFragmentFactory"] as const;

/**
 * The JSX settings of the tsconfig.json nearest to `file` (its folder or one
 * above), as tsc applies them; a relative "extends" is followed. Empty when
 * there is no tsconfig.json or it sets no JSX option.
 */
export function jsxSettingsFor(file: string): JsxSettings {
  const path = findUp(dirname(file), ["tsconfig.json"]);
  return path ? readJsxSettings(path, 0) : {};
}

function readJsxSettings(path: string, depth: number): JsxSettings {
  const config = readJsonc(path);
  if (!config) return {};
  const base = typeof config.extends === "string" && config.extends.startsWith(".") && depth < 5
    ? readJsxSettings(new URL(config.extends, `file://${path}`).pathname, depth + 1)
    : {};
  const own = (config.compilerOptions ?? {}) as Record<string, unknown>;
  const settings: JsxSettings = { ...base };
  for (const key of KEYS) if (typeof own[key] === "string") settings[key] = own[key];
  return settings;
}

/**
 * The pragma comment that gives one file these JSX settings: engines that
 * read no tsconfig.json for a file still honour a pragma at its top. Empty
 * when the engine's default (React's automatic runtime) already applies.
 */
export function jsxPragma(settings: JsxSettings): string {
  const jsx = settings.jsx?.toLowerCase();
  if (jsx === "react") {
    const factory = settings.jsxFactory ? ` @jsx ${settings.jsxFactory}` : "";
    const fragment = settings.jsxFragmentFactory ? ` @jsxFrag ${settings.jsxFragmentFactory}` : "";
    return factory || fragment ? `/** @jsxRuntime classic${factory}${fragment} */ ` : "";
  }
  if (settings.jsxImportSource && jsx !== "preserve") {
    return `/** @jsxRuntime automatic @jsxImportSource ${settings.jsxImportSource} */ `;
  }
  return "";
}
