// @ts-ignore
import facadePath from "../dist/lsky-app.mjs" with { type: "file" };
import { setEmbeddedAssets } from "../src/runtime/embedded-assets.ts";
import { runRole } from "../src/worker/role.ts";
setEmbeddedAssets({ facade: facadePath as unknown as string });
const t0 = performance.now();
// @ts-ignore
void import("../src/worker/main.ts").then(() => console.log("main after role", (t0).toFixed(2), (performance.now() - t0).toFixed(2), typeof runRole));
