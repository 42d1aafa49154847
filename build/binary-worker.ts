// dist/lsky's workers and custom module processes: what dist/lsky-worker.mjs
// is to Node and Deno, without the commands, the supervisor and the Redis
// client, so a worker of the binary loads and holds less. Loaded by
// build/binary-entry.ts.
// @ts-ignore: a file import resolves to the embedded file's path (Bun only).
import facadePath from "../dist/lsky-app.mjs" with { type: "file" };
import { setEmbeddedAssets } from "../src/runtime/embedded-assets.ts";
import { runRole } from "../src/worker/role.ts";

setEmbeddedAssets({ facade: facadePath as unknown as string });
void runRole(process.argv[2]);
