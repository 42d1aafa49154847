// dist/lsky's commands: lsky's CLI, with its library bundle (for `lsky
// compile`), its Node/Deno bundle (for `--runtime node|deno`) and the app
// facade (served as "lsky" to an app that has none installed) embedded, so
// the binary needs nothing beside it. Loaded by build/binary-entry.ts.
// @ts-ignore: a file import resolves to the embedded file's path (Bun only).
import libraryPath from "../dist/lsky-lib.mjs" with { type: "file" };
// @ts-ignore: as above.
import bundlePath from "../dist/lsky.mjs" with { type: "file" };
// @ts-ignore: as above.
import facadePath from "../dist/lsky-app.mjs" with { type: "file" };
import { setEmbeddedAssets } from "../src/runtime/embedded-assets.ts";
import { main } from "../src/cli/run.ts";

setEmbeddedAssets({
  library: libraryPath as unknown as string,
  bundle: bundlePath as unknown as string,
  facade: facadePath as unknown as string,
});
void main(process.argv.slice(2));
