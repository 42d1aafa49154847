import * as esbuild from "esbuild";
import { lazyBuiltins } from "/work/main/build/lazy-builtins.mjs";
const requireShim = 'import { createRequire as __lskyCreateRequire } from "node:module"; const require = __lskyCreateRequire(import.meta.url);';
const r = await esbuild.build({ entryPoints: [process.argv[2]], outfile: process.argv[3], bundle: true, format: "esm", platform: "node", target: "node20", external: ["esbuild"], metafile: true, plugins: [lazyBuiltins], banner: { js: requireShim }, define: { LSKY_APP_FACADE: '""' }, logLevel: "error" });
const out = Object.values(r.metafile.outputs)[0];
const by = {};
for (const [p, v] of Object.entries(out.inputs)) { const k = p.includes("node_modules") ? p.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, "nm:$1") : p.split("/").slice(0, 3).join("/"); by[k] = (by[k] ?? 0) + v.bytesInOutput; }
console.log("total", out.bytes);
for (const [k, v] of Object.entries(by).sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(String(v).padStart(8), k);
