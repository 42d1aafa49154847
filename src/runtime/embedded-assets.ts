/**
 * Files built into dist/lsky, registered by its build entry
 * (build/binary-cli.ts, the facade alone by build/binary-worker.ts) and
 * unset everywhere else:
 * - the library bundle, which `lsky compile` links into new executables;
 * - the Node/Deno bundle (dist/lsky.mjs), which the binary hands to
 *   `node` or `deno` when asked for `--runtime node|deno`;
 * - the app-facing facade (dist/lsky-app.mjs), served as "lsky" to an app
 *   that has no lsky installed (lsky-import.ts).
 */
let library: string | undefined;
let bundle: string | undefined;
let facade: string | undefined;

export function setEmbeddedAssets(assets: { library?: string; bundle?: string; facade?: string }): void {
  library = assets.library;
  bundle = assets.bundle;
  facade = assets.facade;
}

export function embeddedLibrary(): string | undefined {
  return library;
}

export function embeddedBundle(): string | undefined {
  return bundle;
}

export function embeddedFacade(): string | undefined {
  return facade;
}
