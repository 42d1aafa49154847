/** The content codings lsky produces, in its order of preference. */
export type Coding = "br" | "zstd" | "gzip";

/**
 * Picks the coding to send from a request's `Accept-Encoding` among those
 * `available`, or `undefined` for none (identity). The client's q-values
 * decide first; among equal q-values the order of `available` decides.
 * `*` stands for every coding the client did not name; `q=0` refuses.
 */
export function negotiateEncoding(header: string | null, available: readonly Coding[]): Coding | undefined {
  if (!header || available.length === 0) return undefined;
  const weights = parseAcceptEncoding(header);
  let best: Coding | undefined;
  let bestWeight = 0;
  for (const coding of available) {
    const weight = weights.get(coding) ?? weights.get("*") ?? 0;
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

function parseAcceptEncoding(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim());
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const q = /^q\s*=\s*([01](?:\.\d{0,3})?)$/i.exec(param);
      if (q) weight = Number(q[1]);
    }
    const key = name.toLowerCase() === "x-gzip" ? "gzip" : name.toLowerCase();
    // A coding named twice keeps its highest weight.
    weights.set(key, Math.max(weights.get(key) ?? 0, weight));
  }
  return weights;
}
