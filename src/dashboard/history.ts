import { histogramQuantile, subtractCounts } from "./percentile.ts";

/** The running totals across all workers at one moment. */
export interface Totals {
  at: number;
  /** Responses by status class, index 1 = 1xx ... 5 = 5xx. */
  statusClasses: readonly number[];
  /** Non-cumulative duration histogram counts. */
  duration: readonly number[];
}

/** One point of every chart. Per-slot arrays follow the slot order; null: no worker. */
export interface Sample {
  /** Unix time, seconds (uPlot's x axis). */
  t: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** Responses per second by class: [1xx, 2xx, 3xx, 4xx, 5xx]. */
  classes: number[];
  /** Resident memory per slot, MiB. */
  memory: (number | null)[];
  /** Event-loop lag per slot, ms. */
  lag: (number | null)[];
}

export interface Gauges {
  memory: (number | null)[];
  lag: (number | null)[];
}

/**
 * The dashboard's chart data for the last minutes. Workers report their
 * totals once a second, not in step with the sampler, so a rate over one
 * tick would jump between 0 and twice the truth: rates and percentiles are
 * taken over the last `window` ticks instead.
 */
export class History {
  private readonly totals: Totals[] = [];
  readonly samples: Sample[] = [];

  constructor(private readonly capacity = 300, private readonly window = 3) {}

  add(totals: Totals, gauges: Gauges): Sample {
    this.totals.push(totals);
    if (this.totals.length > this.window + 1) this.totals.shift();
    const first = this.totals[0]!;
    const seconds = (totals.at - first.at) / 1000;
    const classes = subtractCounts(totals.statusClasses, first.statusClasses).slice(1, 6);
    const perSecond = (n: number) => (seconds > 0 ? round(n / seconds) : 0);
    const duration = subtractCounts(totals.duration, first.duration);
    const sample: Sample = {
      t: Math.round(totals.at / 100) / 10,
      rps: perSecond(classes.reduce((sum, n) => sum + n, 0)),
      p50: round(histogramQuantile(duration, 0.5)),
      p95: round(histogramQuantile(duration, 0.95)),
      p99: round(histogramQuantile(duration, 0.99)),
      classes: classes.map(perSecond),
      memory: gauges.memory,
      lag: gauges.lag,
    };
    this.samples.push(sample);
    if (this.samples.length > this.capacity) this.samples.shift();
    return sample;
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
