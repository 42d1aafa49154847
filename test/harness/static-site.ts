import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, gzipSync } from "node:zlib";

export const SECRET = "TOP-SECRET-OUTSIDE-PUBLIC";
/** A compressible file with no precompressed sibling. */
export const BIG_TXT = Array.from({ length: 800 }, (_, i) => `line ${i}: static text that compresses well\n`).join("");

export interface StaticSite {
  /** The site's folder: public/ (served) and outside/ (never served). */
  dir: string;
  publicDir: string;
  appJs: Buffer;
  dataBin: Buffer;
  remove(): void;
}

/**
 * Lays out a site in a fresh temporary folder: files of several types,
 * precompressed siblings, folders with an index, a dotfile, and symlinks that
 * point inside and outside public/.
 */
export function createStaticSite(): StaticSite {
  const dir = mkdtempSync(join(tmpdir(), "lsky-static-"));
  const pub = join(dir, "public");
  mkdirSync(join(pub, "docs"), { recursive: true });
  mkdirSync(join(pub, "empty-dir"));
  mkdirSync(join(dir, "outside"));
  const appJs = Buffer.from("export const greet = (name) => `hello ${name}`;\n".repeat(100));
  const dataBin = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919 + (i >> 8)) % 256));
  const files: Record<string, string | Buffer> = {
    "index.html": "<!doctype html><h1>home</h1>\n",
    "docs/index.html": "<!doctype html><h1>docs</h1>\n",
    "app.js": appJs,
    "app.js.gz": gzipSync(appJs),
    "app.js.br": brotliCompressSync(appJs),
    "only-gz.css": "body { color: red; }\n".repeat(50),
    "only-gz.css.gz": gzipSync("body { color: red; }\n".repeat(50)),
    "style.css": "h1 { font-weight: bold; }\n",
    "big.txt": BIG_TXT,
    "data.json": '{"ok":true}\n',
    "logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
    "photo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
    "data.bin": dataBin,
    "empty.txt": "",
    "file.unknownext": "?",
    "live.m3u8": "#EXTM3U\n",
    "feed.rss": "<rss/>",
    "font.eot": "eot",
    "hello world.txt": "spaced\n",
    ".env": "SECRET=1\n",
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(pub, name), content);
  writeFileSync(join(dir, "outside", "secret.txt"), SECRET);
  writeFileSync(join(dir, "public-secret.txt"), SECRET);
  symlinkSync(join("..", "outside", "secret.txt"), join(pub, "link-out.txt"));
  symlinkSync(join("..", "outside"), join(pub, "dir-out"));
  symlinkSync("index.html", join(pub, "link-in.html"));
  return { dir, publicDir: pub, appJs, dataBin, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
