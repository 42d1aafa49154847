import type { ServeSettings } from "../config/options.ts";
import { createCompressStage } from "../http/compress.ts";
import { availableCodings } from "../http/compress-stream.ts";
import { streamingFileResponse } from "../http/static/file-stream.ts";
import { createStaticStage } from "../http/static/stage.ts";
import type { EngineAdapter, FetchHandler } from "../runtime/types.ts";

/**
 * A stage wraps the handler after it: it may answer a request itself (a static
 * file, a limit) or change what goes in and comes out (compression, proxy
 * headers). The app's own handler, already made error-proof, is innermost.
 */
export type Stage = (next: FetchHandler) => FetchHandler;

/** Builds the stages a worker runs, outermost first, from the settings. */
export function createStages(settings: ServeSettings, adapter?: Pick<EngineAdapter, "fileResponse">): Stage[] {
  const stages: Stage[] = [];
  // Compression is outside static files so that it applies to both; it leaves
  // precompressed files (which carry a Content-Encoding) alone.
  if (settings.compress) stages.push(createCompressStage({ threshold: settings.compressThreshold, codings: availableCodings() }));
  if (settings.static) {
    const fileResponse = adapter?.fileResponse?.bind(adapter) ?? streamingFileResponse;
    stages.push(createStaticStage({ root: settings.static, cacheRules: settings.staticCache, fileResponse }));
  }
  return stages;
}

export function composeStages(stages: Stage[], inner: FetchHandler): FetchHandler {
  return stages.reduceRight((next, stage) => stage(next), inner);
}
