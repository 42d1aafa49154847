/**
 * Logs an error the engine caught itself. The app's own exceptions never get
 * here (the worker's handler answers them with a 500); what does is a response
 * body stream that failed after the app returned. Deno hands it to `onError`
 * and would otherwise drop it without a word, while Node and Bun print it.
 */
export function logEngineError(error: unknown): void {
  // `||`: Bun gives some errors an empty stack.
  const detail = error instanceof Error ? (error.stack || `${error.name}: ${error.message}`) : String(error);
  process.stderr.write(`Error while sending a response: ${detail}\n`);
}
