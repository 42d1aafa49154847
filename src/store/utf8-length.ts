import { Buffer } from "node:buffer";

/** A string's length in UTF-8 bytes (what a `string:N` column and the cache's bound count). */
export function utf8Length(text: string): number {
  // ASCII is one byte a unit; checking it is cheaper than encoding.
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return Buffer.byteLength(text, "utf8");
  }
  return text.length;
}
