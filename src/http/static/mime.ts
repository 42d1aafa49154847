/**
 * The content types lsky's static files are sent with, by file extension.
 * A small table of what web servers actually serve; anything else is
 * `application/octet-stream`, so a browser downloads rather than guesses.
 */
const TYPES: Record<string, string> = {
  html: "text/html", htm: "text/html", css: "text/css", txt: "text/plain", csv: "text/csv",
  md: "text/markdown", xml: "application/xml", ics: "text/calendar", vtt: "text/vtt",
  js: "text/javascript", mjs: "text/javascript", cjs: "text/javascript",
  json: "application/json", map: "application/json", jsonld: "application/ld+json",
  webmanifest: "application/manifest+json", wasm: "application/wasm", pdf: "application/pdf",
  zip: "application/zip", gz: "application/gzip", tar: "application/x-tar",
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp",
  avif: "image/avif", svg: "image/svg+xml", ico: "image/x-icon", bmp: "image/bmp",
  woff: "font/woff", woff2: "font/woff2", ttf: "font/ttf", otf: "font/otf",
  mp3: "audio/mpeg", ogg: "audio/ogg", wav: "audio/wav", m4a: "audio/mp4", flac: "audio/flac",
  mp4: "video/mp4", webm: "video/webm", ogv: "video/ogg", mov: "video/quicktime",
};

export const DEFAULT_TYPE = "application/octet-stream";

// Text types are declared UTF-8 so a browser never sniffs another charset.
const TEXT_WITH_CHARSET = /^text\/|^application\/(json|xml|ld\+json|manifest\+json)$|^image\/svg\+xml$/;

/** The Content-Type for a file name, e.g. `app.js` -> `text/javascript; charset=utf-8`. */
export function contentTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  const slash = fileName.lastIndexOf("/");
  if (dot <= slash + 1) return DEFAULT_TYPE; // no extension, or a dotfile such as ".htaccess"
  const type = TYPES[fileName.slice(dot + 1).toLowerCase()];
  if (!type) return DEFAULT_TYPE;
  return TEXT_WITH_CHARSET.test(type) ? `${type}; charset=utf-8` : type;
}
