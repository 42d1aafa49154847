import type { FetchHandler } from "../runtime/types.ts";

/**
 * A stage wraps the handler after it: it may answer a request itself (a static
 * file, a limit) or change what goes in and comes out (compression, proxy
 * headers). The app's own handler, already made error-proof, is innermost.
 * A leaf module: every stage imports it, src/worker/pipeline.ts composes them.
 */
export type Stage = (next: FetchHandler) => FetchHandler;

/** What the engine serving the worker already guarantees. */
export interface EngineFacts {
  /** See EngineAdapter.headCeiling. */
  headCeiling: number;
  /** See EngineAdapter.prechecks. */
  prechecks: boolean;
}
