/// <reference types="bun-types" />
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { jsxPragma, jsxSettingsFor } from "../config/tsconfig-jsx.ts";

const JSX_FILE = /\.[jt]sx$/;

/**
 * Makes Bun compile the app's JSX files with the settings of the app's own
 * tsconfig.json. Bun reads JSX options only from the tsconfig.json in the
 * current directory (and a compiled executable, lsky's own, reads none), so a
 * Hono JSX app ("jsxImportSource": "hono/jsx") served from elsewhere would
 * import React's runtime. A pragma at the top of the file is honoured
 * whatever the directory; it is put on the first line so line numbers stay.
 */
export function applyAppTsconfigOnBun(): void {
  const g = globalThis as { Bun?: typeof Bun };
  if (!g.Bun) return;
  g.Bun.plugin({
    name: "lsky-app-tsconfig-jsx",
    setup(build) {
      build.onLoad({ filter: JSX_FILE }, (args) => {
        if (args.path.includes("/node_modules/")) return undefined as never;
        const pragma = jsxPragma(jsxSettingsFor(args.path));
        if (!pragma) return undefined as never;
        const loader = extname(args.path) === ".tsx" ? "tsx" : "jsx";
        return { contents: pragma + readFileSync(args.path, "utf8"), loader };
      });
    },
  });
}
