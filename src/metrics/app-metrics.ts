/**
 * The app's own metrics, as prom-client's `registry.getMetricsAsJSON()` gives
 * them, added up across workers the way prom-client's
 * `AggregatorRegistry.aggregate()` does (each family by its `aggregator`:
 * sum unless it says first, min, max, average or omit), then rendered in the
 * text format beside lsky's own series.
 *
 * Written here rather than imported so that lsky needs prom-client only when
 * the app does, and never loads the app's copy into the supervisor; the unit
 * test checks it against prom-client's own output.
 */

/** One sample of a family: `metricName` names a histogram's `_bucket`, `_sum` and `_count`. */
export interface MetricValueJSON {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** One family, as `getMetricsAsJSON()` lists it. */
export interface MetricFamilyJSON {
  name: string;
  help: string;
  type: string;
  values: MetricValueJSON[];
  aggregator?: string;
}

/** What the app exports as `metrics` on its default export: prom-client's `register`, or any registry of it. */
export interface AppMetricsRegistry {
  getMetricsAsJSON(): Promise<unknown[]> | unknown[];
}

type Aggregate = (values: number[]) => number;

const AGGREGATORS: Record<string, Aggregate | undefined> = {
  sum: (values) => values.reduce((total, v) => total + v, 0),
  first: (values) => values[0]!,
  min: (values) => values.reduce((least, v) => Math.min(least, v), Infinity),
  max: (values) => values.reduce((most, v) => Math.max(most, v), -Infinity),
  average: (values) => values.reduce((total, v) => total + v, 0) / values.length,
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function isAppMetricsRegistry(value: unknown): value is AppMetricsRegistry {
  return typeof value === "object" && value !== null && typeof (value as AppMetricsRegistry).getMetricsAsJSON === "function";
}

/**
 * Keeps the families that are well formed (the app's code made them, and a
 * bad one must not break the whole exposition): a valid name, a known type,
 * numeric values with plain labels.
 */
export function validFamilies(input: unknown): MetricFamilyJSON[] {
  if (!Array.isArray(input)) return [];
  return input.filter((family): family is MetricFamilyJSON => {
    if (typeof family !== "object" || family === null) return false;
    const f = family as Partial<MetricFamilyJSON>;
    return typeof f.name === "string" && METRIC_NAME.test(f.name) && typeof f.type === "string" && TYPES.has(f.type) &&
      Array.isArray(f.values) && f.values.every(isValidValue);
  });
}

function isValidValue(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<MetricValueJSON>;
  const labels = v.labels ?? {};
  return typeof v.value === "number" && typeof labels === "object" && labels !== null &&
    (v.metricName === undefined || (typeof v.metricName === "string" && METRIC_NAME.test(v.metricName))) &&
    Object.entries(labels).every(([name, label]) => METRIC_NAME.test(name) && ["string", "number"].includes(typeof label));
}

/** Adds up the families of several workers (and the retired totals), family by family, sample by sample. */
export function aggregateFamilies(lists: readonly MetricFamilyJSON[][]): MetricFamilyJSON[] {
  const byName = new Map<string, MetricFamilyJSON[]>();
  for (const list of lists) {
    for (const family of list) byName.set(family.name, [...(byName.get(family.name) ?? []), family]);
  }
  const result: MetricFamilyJSON[] = [];
  for (const families of byName.values()) {
    const first = families[0]!;
    const aggregator = first.aggregator ?? "sum";
    if (aggregator === "omit") continue;
    // prom-client refuses an aggregator it does not know; a sum keeps the exposition whole.
    const aggregate = AGGREGATORS[aggregator] ?? AGGREGATORS.sum!;
    const samples = new Map<string, { sample: MetricValueJSON; values: number[] }>();
    for (const family of families) {
      for (const sample of family.values) {
        const key = `${sample.metricName ?? ""}_${labelKey(sample.labels ?? {})}`;
        const entry = samples.get(key) ?? { sample, values: [] };
        entry.values.push(sample.value);
        samples.set(key, entry);
      }
    }
    const values = [...samples.values()].map(({ sample, values }) => ({
      value: aggregate(values),
      labels: sample.labels ?? {},
      ...(sample.metricName ? { metricName: sample.metricName } : {}),
    }));
    result.push({ name: first.name, help: first.help, type: first.type, values, aggregator });
  }
  return result;
}

/** Label sets compare by content, whatever order the app gave its labels in. */
function labelKey(labels: Record<string, string | number>): string {
  return Object.keys(labels).sort().map((name) => `${name}:${labels[name]},`).join("");
}

/**
 * The part of a worker's families worth keeping once it exited, so that the
 * app's totals stay monotonic across restarts as lsky's own do: counters and
 * histograms that are summed. Gauges and summaries describe live processes.
 */
export function retainedOnExit(families: readonly MetricFamilyJSON[]): MetricFamilyJSON[] {
  return families.filter((f) => (f.type === "counter" || f.type === "histogram") && (f.aggregator ?? "sum") === "sum");
}

/** The text format (0.0.4) of the families, leaving out those named in `taken` (lsky's own). */
export function renderFamilies(families: readonly MetricFamilyJSON[], taken: ReadonlySet<string> = new Set()): string {
  const lines: string[] = [];
  for (const family of families) {
    if (taken.has(family.name)) continue;
    lines.push(`# HELP ${family.name} ${escapeText(family.help ?? "")}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.values) {
      const labels = Object.entries(sample.labels ?? {}).map(([name, value]) => `${name}="${escapeLabel(String(value))}"`);
      const labelText = labels.length ? `{${labels.join(",")}}` : "";
      lines.push(`${sample.metricName ?? family.name}${labelText} ${formatValue(sample.value)}`);
    }
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** The family names an exposition declares (`# TYPE name ...`). */
export function declaredFamilies(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1]!));
}

function escapeText(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

function escapeLabel(text: string): string {
  return escapeText(text).replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value < 0 ? "-Inf" : "+Inf";
  return String(value);
}
