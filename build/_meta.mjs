import * as esbuild from "esbuild";
const entry = process.argv[2];
const r = await esbuild.build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: "node", format: "esm", outdir: "/tmp/st/metaout", external: ["esbuild"], logLevel: "error" });
const inputs = r.metafile.inputs;
const parent = new Map([[entry, null]]);
const queue = [entry];
while (queue.length) {
  const f = queue.shift();
  for (const imp of inputs[f]?.imports ?? []) {
    if (imp.kind === "dynamic-import") continue;
    if (parent.has(imp.path)) continue;
    parent.set(imp.path, f);
    if (!imp.external) queue.push(imp.path);
  }
}
for (const b of process.argv.slice(3)) {
  const key = [...parent.keys()].find((k) => k === b || k === "node:" + b);
  if (!key) { console.log(b, ": not reached"); continue; }
  const chain = []; for (let k = key; k; k = parent.get(k)) chain.push(k);
  console.log(chain.reverse().join(" -> "));
}
if (process.env.ALL) console.log([...parent.keys()].filter(k=>k.startsWith("node:")).join(" "));
