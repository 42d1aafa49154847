import mimeDb from "mime-db";

/**
 * The content types lsky's static files are sent with, by file extension,
 * from mime-db (the table behind the `mime-types` package and Express).
 * Anything it does not know is `application/octet-stream`, so a browser
 * downloads rather than guesses.
 */
export const DEFAULT_TYPE = "application/octet-stream";

// Where mime-db offers several types for one extension, lsky's choice.
const OVERRIDES: Record<string, string> = {
  // RFC 9239 made text/javascript the one type for scripts.
  js: "text/javascript", mjs: "text/javascript", cjs: "text/javascript",
  // lsky's earlier choices, kept (mime-db lists these as text/xml,
  // audio/x-flac, or under several types).
  xml: "application/xml", flac: "audio/flac",
  map: "application/json", ico: "image/x-icon", wav: "audio/wav",
};

// When two entries claim one extension, the one from the more specific
// source wins (the order the `mime-types` package uses).
const SOURCE_RANK = ["nginx", "apache", undefined, "iana"];

// Text types are declared UTF-8 so a browser never sniffs another charset.
const TEXT_WITH_CHARSET = /^text\/|^application\/(json|xml|javascript)$|\+(json|xml)$/;

/** extension -> full Content-Type value; built once, on first use. */
let table: Map<string, string> | undefined;

function buildTable(): Map<string, string> {
  const chosen = new Map<string, string>();
  for (const [type, entry] of Object.entries(mimeDb)) {
    for (const extension of entry.extensions ?? []) {
      const current = chosen.get(extension);
      if (current && !prefer(type, current)) continue;
      chosen.set(extension, type);
    }
  }
  for (const [extension, type] of Object.entries(OVERRIDES)) chosen.set(extension, type);
  const withCharset = new Map<string, string>();
  for (const [extension, type] of chosen) {
    const text = TEXT_WITH_CHARSET.test(type) || mimeDb[type]?.charset?.toUpperCase() === "UTF-8";
    withCharset.set(extension, text ? `${type}; charset=utf-8` : type);
  }
  return withCharset;
}

function prefer(candidate: string, current: string): boolean {
  if (current === DEFAULT_TYPE) return true;
  const from = SOURCE_RANK.indexOf(mimeDb[current]?.source);
  const to = SOURCE_RANK.indexOf(mimeDb[candidate]?.source);
  return from < to || (from === to && current.startsWith("application/") && !candidate.startsWith("application/"));
}

/** The Content-Type for a file name, e.g. `app.js` -> `text/javascript; charset=utf-8`. */
export function contentTypeFor(fileName: string): string {
  const dot = fileName.lastIndexOf(".");
  const slash = fileName.lastIndexOf("/");
  if (dot <= slash + 1) return DEFAULT_TYPE; // no extension, or a dotfile such as ".htaccess"
  table ??= buildTable();
  return table.get(fileName.slice(dot + 1).toLowerCase()) ?? DEFAULT_TYPE;
}
