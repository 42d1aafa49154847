import { resolve } from "node:path";

/**
 * Turns what an engine throws for a module that cannot load into an error
 * whose stack a user can act on. A syntax error reaches lsky differently on
 * each engine: Bun throws an AggregateError of BuildMessages with no stack and
 * a message that only counts them ("4 errors building app.ts"); esbuild (the
 * Node path) lists them in its message but adds its own internal stack.
 */
export function explainLoadError(error: unknown): unknown {
  const messages = syntaxMessages(error);
  if (messages.length === 0) return error;
  const explained = new SyntaxError(messages[0]!);
  explained.stack = messages.map((m) => `SyntaxError: ${m}`).join("\n");
  return explained;
}

interface Position {
  file?: string;
  line?: number;
  column?: number;
  lineText?: string;
}

function syntaxMessages(error: unknown): string[] {
  const items = (error as { errors?: unknown }).errors;
  if (!Array.isArray(items) || items.length === 0) return [];
  const lines: string[] = [];
  for (const item of items.slice(0, 10)) {
    // Bun: { message, position }; esbuild: { text, location }.
    const { message, text, position, location } = item as {
      message?: string; text?: string; position?: Position | null; location?: Position | null;
    };
    const what = text ?? message;
    if (typeof what !== "string") return [];
    lines.push(`${what}${place(position ?? undefined, location ?? undefined)}`);
  }
  return lines;
}

/** " (file:line:column)", 1-based; esbuild gives paths relative to the working directory and 0-based columns. */
function place(bun: Position | undefined, esbuild: Position | undefined): string {
  if (bun?.file) return ` (${bun.file}:${bun.line}:${bun.column})`;
  if (esbuild?.file) return ` (${resolve(esbuild.file)}:${esbuild.line}:${(esbuild.column ?? 0) + 1})`;
  return "";
}
