/**
 * In dist/lsky, the path (inside the executable) of lsky's library bundle,
 * which `lsky compile` links into new executables. Registered by the binary's
 * build entry (build/binary-entry.ts); unset everywhere else.
 */
let library: string | undefined;

export function setEmbeddedLibrary(path: string): void {
  library = path;
}

export function embeddedLibrary(): string | undefined {
  return library;
}
