/**
 * Whether a response of this Content-Type is worth compressing: text and
 * structured text yes; images, audio, video, fonts in woff/woff2 and archives
 * are compressed already. Server-sent events are left alone because a
 * compressor buffers and would hold events back.
 */
const COMPRESSIBLE = [
  /^text\/(?!event-stream)/,
  /^application\/(json|xml|javascript|x-javascript|ecmascript|wasm|manifest\+json|ld\+json|graphql-response\+json|x-ndjson)$/,
  /^application\/[\w.-]+\+(json|xml)$/,
  /^image\/(svg\+xml|x-icon|bmp)$/,
  /^font\/(ttf|otf)$/,
];

export function isCompressibleType(contentType: string | null): boolean {
  if (!contentType) return false;
  const essence = contentType.split(";", 1)[0]!.trim().toLowerCase();
  return COMPRESSIBLE.some((pattern) => pattern.test(essence));
}
