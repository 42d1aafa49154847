// Piscina's task: the same empty handler as the lsky app's "noop".
export default function noop() {
  return undefined;
}
