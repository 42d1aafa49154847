import type { ServeSettings } from "../config/options.ts";
import type { SettingSource } from "../config/resolve.ts";
import { monotonicNow } from "../clock.ts";
import type { MetricsAggregator } from "../supervisor/metrics-aggregator.ts";
import type { WorkerPool } from "../supervisor/pool.ts";
import { type SupervisorInfo, supervisorMemory } from "../supervisor/status.ts";
import { EventStream } from "./event-stream.ts";
import { History } from "./history.ts";
import { configRows, facilityState, sidePoolRows, slotGauges, workerRows } from "./state.ts";

export interface DashboardSource {
  pool: WorkerPool;
  metrics: MetricsAggregator;
  info: SupervisorInfo;
  /** Where the app listens, as the start line says it. */
  listen: string;
  settings: ServeSettings;
  sources: Partial<Record<keyof ServeSettings, SettingSource>>;
  configFile?: string;
  /** The pools beside the HTTP pool (task workers, custom processes). */
  sidePools?: { list(): readonly { name: string; pool: WorkerPool }[] };
}

const TICK_MS = 1000;
// Five minutes of one-second samples.
const HISTORY_SAMPLES = 300;

/**
 * The dashboard's live data: samples the pool and the metrics once a second
 * (while the admin listener is on, so the charts have a past when a page
 * opens) and sends each sample to every open page over one event stream.
 *
 * Messages: `hello` (once per connection: the server, the configuration,
 * the history) and `tick` (every second). Each panel of the page reads its
 * own key: `pools` has the task workers and custom processes, `facilities`
 * what WebSockets, tasks, the schedule, tables, listeners and the cluster
 * report (null for those the server does not use).
 */
export class Dashboard {
  readonly history = new History(HISTORY_SAMPLES);
  private readonly stream = new EventStream();
  private readonly config;
  private timer?: ReturnType<typeof setInterval>;
  private lastEventSeq = 0;

  constructor(private readonly source: DashboardSource) {
    this.config = { file: source.configFile ?? null, settings: configRows(source.settings, source.sources) };
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
  }

  stop(): void {
    clearInterval(this.timer);
    this.stream.close();
  }

  /** The event stream for one page. */
  events(): Response {
    return this.stream.open({ event: "hello", data: this.hello() });
  }

  /** Everything a new page needs, also served as JSON at /api/state. */
  hello() {
    const { pool, metrics, info } = this.source;
    return {
      server: this.server(),
      config: this.config,
      slots: pool.slots.map((slot) => slot.id),
      workers: workerRows(pool),
      pools: this.pools(),
      facilities: facilityState(metrics.snapshot(pool, info.startedAt), info.listeners),
      history: this.history.samples,
      events: metrics.eventsAfter(0),
    };
  }

  private tick(): void {
    const { sample, facilities } = this.sample();
    const events = this.source.metrics.eventsAfter(this.lastEventSeq);
    if (events.length) this.lastEventSeq = events[events.length - 1]!.seq;
    this.stream.broadcast("tick", { server: this.server(), workers: workerRows(this.source.pool), pools: this.pools(), facilities, sample, events });
  }

  private sample() {
    const { pool, metrics, info } = this.source;
    const snapshot = metrics.snapshot(pool, info.startedAt);
    const { requests } = snapshot;
    const totals = { at: Date.now(), statusClasses: requests.statusClasses, duration: requests.duration.counts };
    return { sample: this.history.add(totals, slotGauges(pool)), facilities: facilityState(snapshot, info.listeners) };
  }

  private pools() {
    return sidePoolRows(this.source.sidePools?.list() ?? []);
  }

  private server() {
    const { info, listen, settings } = this.source;
    return {
      version: info.version,
      engine: info.engine,
      engineVersion: info.engineVersion,
      app: info.app,
      listen,
      admin: settings.admin,
      pid: process.pid,
      workers: settings.workers,
      uptime: monotonicNow() - info.startedAt,
      memory: supervisorMemory(false).rss,
    };
  }
}
