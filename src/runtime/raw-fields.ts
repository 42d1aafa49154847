/**
 * node:http's `rawHeaders` (name, value, name, value...) as the pairs a
 * `Headers` or `Request` init takes in one pass, names and order as the
 * client sent them: building a Headers first would be copied again.
 */
export function fieldPairs(raw: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
  return pairs;
}
