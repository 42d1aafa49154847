import type { ServeSettings } from "../config/options.ts";
import { metricsStage } from "../metrics/metrics-stage.ts";
import type { RequestMetrics } from "../metrics/request-metrics.ts";
import type { EngineAdapter, FetchHandler } from "../runtime/types.ts";
import { createLimitsStage } from "../limits/limits-stage.ts";
import { createAccessLogStage } from "../http/access-log/access-log-stage.ts";
import { createAccessLogSink } from "./access-log-pipe.ts";
import { createProxyStage } from "../http/proxy/proxy-stage.ts";
import type { EngineFacts, Stage } from "../http/stage.ts";

export type { EngineFacts, Stage };

/** What a worker shares with its stages. */
export interface WorkerServices {
  /** The worker's slot number, for the access log. */
  worker?: number;
  /** Present when metrics are on (--admin). */
  metrics?: RequestMetrics;
  /** The engine's adapter, for zero-copy file responses where it has them. */
  adapter?: Pick<EngineAdapter, "fileResponse" | "bodyLength" | "recordBodies" | "replaceUrl" | "headerFields" | "headerRecord" | "textBody">;
  /** What the engine already guarantees (the limits stage skips those checks). */
  engine?: EngineFacts;
}

/** Builds the stages a worker runs, outermost first, from the settings. */
export async function createStages(settings: ServeSettings, services: WorkerServices = {}): Promise<Stage[]> {
  const stages: Stage[] = [];
  // Both ask each response's length; recorded bodies answer without reading.
  if (settings.accessLog || settings.compress) services.adapter?.recordBodies?.();
  // Outermost: every later stage (the access log, metrics) sees the forwarded client.
  const host = settings.listen ? undefined : settings.host;
  const proxy = createProxyStage({
    trustProxy: settings.trustProxy,
    https: settings.https,
    host,
    replaceUrl: services.adapter?.replaceUrl,
    headerFields: services.adapter?.headerFields,
    headerRecord: services.adapter?.headerRecord,
  });
  if (proxy) stages.push(proxy);
  if (settings.accessLog) {
    stages.push(createAccessLogStage({
      worker: services.worker ?? 0,
      record: createAccessLogSink(settings.logFormat, services.worker ?? 0),
      bodyLength: services.adapter?.bodyLength,
    }));
  }
  // Metrics count static files, refusals and compressed responses too.
  if (services.metrics) stages.push(metricsStage(services.metrics));
  // Limits come before anything reads the body or answers from disk.
  stages.push(createLimitsStage(settings, services.engine));
  // Compression is outside static files so that it applies to both; it leaves
  // precompressed files (which carry a Content-Encoding) alone.
  if (settings.compress) stages.push(await compressStage(settings, services));
  if (settings.static) stages.push(await staticStage(settings, services));
  return stages;
}

/** Loaded only with --compress: node:zlib is about 1 MB of a Bun worker's memory (docs/BENCHMARKS.md). */
async function compressStage(settings: ServeSettings, services: WorkerServices): Promise<Stage> {
  const [{ createCompressStage }, { availableCodings }] = await Promise.all([import("../http/compress.ts"), import("../http/compress-stream.ts")]);
  return createCompressStage({ threshold: settings.compressThreshold, codings: availableCodings(), bodyLength: services.adapter?.bodyLength });
}

/**
 * Loaded only with --static: its content-type table (mime-db) is half of
 * what a worker would otherwise evaluate at start (start-up time).
 */
async function staticStage(settings: ServeSettings, services: WorkerServices): Promise<Stage> {
  const [{ createStaticStage }, { streamingFileResponse }, { availableByteCodings }] = await Promise.all([
    import("../http/static/stage.ts"), import("../http/static/file-stream.ts"), import("../http/compress-stream.ts"),
  ]);
  const fileResponse = services.adapter?.fileResponse?.bind(services.adapter) ?? streamingFileResponse;
  const compression = settings.compress ? { threshold: settings.compressThreshold, codings: availableByteCodings() } : undefined;
  return createStaticStage({
    root: settings.static!, cacheRules: settings.staticCache, fileResponse, memoryBytes: settings.staticMemory, compression, textBody: services.adapter?.textBody,
  });
}

export function composeStages(stages: Stage[], inner: FetchHandler): FetchHandler {
  return stages.reduceRight((next, stage) => stage(next), inner);
}
