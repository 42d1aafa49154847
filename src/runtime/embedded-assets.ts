/**
 * Files built into dist/lsky, registered by its build entry
 * (build/binary-entry.ts) and unset everywhere else:
 * - the library bundle, which `lsky compile` links into new executables;
 * - the Node/Deno bundle (dist/lsky.mjs), which the binary hands to
 *   `node` or `deno` when asked for `--runtime node|deno`.
 */
let library: string | undefined;
let bundle: string | undefined;

export function setEmbeddedAssets(assets: { library: string; bundle: string }): void {
  library = assets.library;
  bundle = assets.bundle;
}

export function embeddedLibrary(): string | undefined {
  return library;
}

export function embeddedBundle(): string | undefined {
  return bundle;
}
