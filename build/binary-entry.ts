// The entry of dist/lsky: lsky's CLI, with its library bundle embedded so that
// `lsky compile` works from the binary alone.
// @ts-ignore: a file import resolves to the embedded file's path (Bun only).
import libraryPath from "../dist/lsky-lib.mjs" with { type: "file" };
import { setEmbeddedLibrary } from "../src/cli/compile-assets.ts";
import { main } from "../src/cli/run.ts";

setEmbeddedLibrary(libraryPath as unknown as string);
void main(process.argv.slice(2));
