import type { ServeSettings } from "../config/options.ts";
import { createLimitsStage } from "../limits/limits-stage.ts";
import type { FetchHandler } from "../runtime/types.ts";

/**
 * A stage wraps the handler after it: it may answer a request itself (a static
 * file, a limit) or change what goes in and comes out (compression, proxy
 * headers). The app's own handler, already made error-proof, is innermost.
 */
export type Stage = (next: FetchHandler) => FetchHandler;

/** What the engine serving the worker already guarantees. */
export interface EngineFacts {
  /** See EngineAdapter.headCeiling. */
  headCeiling: number;
}

/** Builds the stages a worker runs, outermost first, from the settings. */
export function createStages(settings: ServeSettings, engine: EngineFacts = { headCeiling: 0 }): Stage[] {
  return [createLimitsStage(settings, engine.headCeiling)];
}

export function composeStages(stages: Stage[], inner: FetchHandler): FetchHandler {
  return stages.reduceRight((next, stage) => stage(next), inner);
}
