import type { ServeSettings } from "../config/options.ts";
import { createAccessLogStage } from "../http/access-log/access-log-stage.ts";
import { formatAccessText } from "../http/access-log/format.ts";
import { createBatchedLineWriter } from "../http/access-log/line-writer.ts";
import { createProxyStage } from "../http/proxy/proxy-stage.ts";
import { currentEngine } from "../runtime/detect.ts";
import type { FetchHandler } from "../runtime/types.ts";

/**
 * A stage wraps the handler after it: it may answer a request itself (a static
 * file, a limit) or change what goes in and comes out (compression, proxy
 * headers). The app's own handler, already made error-proof, is innermost.
 */
export type Stage = (next: FetchHandler) => FetchHandler;

export interface StageContext {
  /** The worker's slot number, for the access log. */
  worker: number;
  /** Where the access log goes (stdout, relayed by the supervisor with the worker's prefix). */
  writeAccessLine?: (line: string) => void;
}


/** Builds the stages a worker runs, outermost first, from the settings. */
export function createStages(settings: ServeSettings, context: StageContext = { worker: 0 }): Stage[] {
  const stages: Stage[] = [];
  // Outermost: every later stage (and the access log) sees the forwarded client.
  const proxy = createProxyStage({
    trustProxy: settings.trustProxy,
    https: settings.https,
    keepSignal: currentEngine() !== "deno",
  });
  if (proxy) stages.push(proxy);
  if (settings.accessLog) {
    stages.push(createAccessLogStage({
      worker: context.worker,
      // For --log-format json, pass formatAccessJson here.
      format: formatAccessText,
      write: context.writeAccessLine ?? createBatchedLineWriter((text) => void process.stdout.write(text)),
    }));
  }
  return stages;
}

export function composeStages(stages: Stage[], inner: FetchHandler): FetchHandler {
  return stages.reduceRight((next, stage) => stage(next), inner);
}
