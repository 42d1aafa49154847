/**
 * The script a Node worker started from dist/lsky runs with the Bun inside
 * the binary (`BUN_BE_BUN=1 lsky -e SCRIPT`) to bundle a TypeScript app: the
 * binary has no esbuild. Like import-meta-plugin.ts does for esbuild, it pins
 * each module's `import.meta.url`, `.dirname` and `.filename` to the module's
 * own file, so an app that reads files beside it (Hono's static root, `new
 * URL("./public/", import.meta.url)`) finds them, not the bundle's folder.
 * Its inline source map names the app's files by absolute URL, so stacks do.
 * Arguments come in LSKY_BUN_BUILD as JSON: { entry, external, lskyFacade }.
 */
export const BUN_BUILD_SCRIPT = `
import { dirname, extname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
const { entry, external, lskyFacade } = JSON.parse(process.env.LSKY_BUN_BUILD);
const loaders = { ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".jsx": "jsx", ".js": "js", ".mjs": "js", ".cjs": "js" };
const pin = {
  name: "lsky-import-meta",
  setup(build) {
    build.onLoad({ filter: /\\.[cm]?[jt]sx?$/ }, async (args) => {
      const loader = loaders[extname(args.path)];
      if (!loader || args.path.includes("/node_modules/")) return undefined;
      const source = await Bun.file(args.path).text();
      if (!source.includes("import.meta")) return undefined;
      const values = { url: pathToFileURL(args.path).href, dirname: dirname(args.path), filename: args.path };
      const contents = source.replace(/\\bimport\\.meta\\.(url|dirname|filename)\\b/g, (_, key) => JSON.stringify(values[key]));
      return { contents, loader };
    });
  },
};
// Where the app has no lsky installed, "lsky" is lsky's facade, bundled in.
const lsky = {
  name: "lsky-import",
  setup(build) {
    build.onResolve({ filter: /^lsky$/ }, () => (lskyFacade ? { path: lskyFacade } : undefined));
  },
};
const result = await Bun.build({
  entrypoints: [entry], root: dirname(entry), target: "node", format: "esm", sourcemap: "inline",
  packages: external ? "external" : undefined, plugins: [pin, lsky],
});
if (!result.success) {
  console.error(result.logs.map(String).join("\\n"));
  process.exit(1);
}
// The map's sources are relative to the entry's folder, the bundle lives
// elsewhere: absolute file URLs make stacks name the app's own files.
const code = await result.outputs[0].text();
const marker = "//# sourceMappingURL=data:application/json;base64,";
const at = code.lastIndexOf(marker);
if (at === -1) {
  process.stdout.write(code);
} else {
  const map = JSON.parse(Buffer.from(code.slice(at + marker.length).trim(), "base64").toString("utf8"));
  map.sources = map.sources.map((source) => pathToFileURL(resolve(dirname(entry), source)).href);
  process.stdout.write(code.slice(0, at) + marker + Buffer.from(JSON.stringify(map)).toString("base64") + "\\n");
}
`;
