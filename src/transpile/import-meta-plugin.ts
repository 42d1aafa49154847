import { readFile } from "node:fs/promises";
import { dirname, extname } from "node:path";
import { pathToFileURL } from "node:url";
import type { Loader, Plugin } from "esbuild";

const LOADERS: Record<string, Loader> = {
  ".ts": "ts", ".mts": "ts", ".cts": "ts", ".tsx": "tsx", ".jsx": "jsx", ".js": "js", ".mjs": "js", ".cjs": "js",
};

/**
 * On Node the app runs from a bundle written elsewhere (node_modules/.cache or
 * a cache directory), where `import.meta.url` would name the bundle. Apps read files
 * beside their modules through it, as they do on Bun and Deno, so each
 * module's `import.meta.url`, `.dirname` and `.filename` are replaced by that
 * module's own location while bundling.
 */
export function importMetaPlugin(): Plugin {
  return {
    name: "lsky-import-meta",
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const loader = LOADERS[extname(args.path)];
        if (!loader) return undefined;
        const source = await readFile(args.path, "utf8");
        if (!source.includes("import.meta")) return undefined;
        return { contents: pinImportMeta(source, args.path), loader };
      });
    },
  };
}

/** Replaces `import.meta.url|dirname|filename` in `source` with the values for the file at `path`. */
export function pinImportMeta(source: string, path: string): string {
  const values: Record<string, string> = {
    url: pathToFileURL(path).href,
    dirname: dirname(path),
    filename: path,
  };
  return source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key: string) => JSON.stringify(values[key]));
}
