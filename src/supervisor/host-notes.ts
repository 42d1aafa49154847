import { DENO_SERVE_SUMMARY, engineGapWarning } from "../limits/engine-gaps.ts";
import type { ServeSettings } from "../config/options.ts";
import type { Engine } from "../runtime/types.ts";
import { type PortSharingFacts, portSharingNotes } from "./port-sharing.ts";

/**
 * What lsky knows, at start, about this host and engine that an operator
 * should fix or accept. The start-up output shows one short line naming each
 * (`summary`); `lsky doctor` prints `text`, which explains it and gives the fix.
 */
export interface HostNote {
  /** A few words, for the one start-up line. */
  summary: string;
  /** The full explanation with its fix. */
  text: string;
}

export interface HostNoteInput {
  settings: Pick<ServeSettings, "workers" | "headerTimeout" | "denoServer" | "tlsCert" | "listen">;
  engine: Engine;
  /** True when the workers listen on Unix sockets only (no shared port). */
  socketsOnly: boolean;
  facts?: PortSharingFacts;
}

export function hostNotes({ settings, engine, socketsOnly, facts }: HostNoteInput): HostNote[] {
  const notes: HostNote[] = [];
  if (!socketsOnly) {
    for (const note of portSharingNotes(settings.workers, engine, facts)) {
      notes.push({ summary: note.text.split(":")[0]!, text: note.text });
    }
  }
  const gap = engineGapWarning(engine, settings);
  if (gap) notes.push({ summary: gapSummary(engine, settings), text: gap });
  return notes;
}

/** Deno.serve's missing promises are named at start; the rest are for lsky doctor. */
function gapSummary(engine: Engine, settings: HostNoteInput["settings"]): string {
  const servesNatively = engine === "deno" && (settings.denoServer === "native" || Boolean(settings.tlsCert) || Boolean(settings.listen));
  return servesNatively ? `${DENO_SERVE_SUMMARY}, ${engine} cannot keep every limit` : `${engine} cannot keep every limit`;
}

/** The one start-up line for the notes, or undefined when there are none. */
export function hostNotesLine(notes: readonly HostNote[]): string | undefined {
  if (notes.length === 0) return undefined;
  return `${notes.map((n) => n.summary).join("; ")} (run "lsky doctor" for the details and fixes)`;
}
