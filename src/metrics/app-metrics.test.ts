import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  aggregateFamilies, declaredFamilies, type MetricFamilyJSON, renderFamilies, retainedOnExit, validFamilies,
} from "./app-metrics.ts";

// prom-client is a development dependency (an app brings its own at run time);
// imported by a variable so that the type check needs none of its types.
interface Metric { set(labels: Record<string, string> | number, value?: number): void; inc(labels: Record<string, string>, by: number): void; observe(labels: Record<string, string>, value: number): void }
interface Registry { getMetricsAsJSON(): Promise<unknown[]> }
type MetricClass = new (options: Record<string, unknown>) => Metric;
interface PromClient {
  Registry: new () => Registry;
  Counter: MetricClass;
  Gauge: MetricClass;
  Histogram: MetricClass;
  AggregatorRegistry: { aggregate(lists: unknown[][]): { metrics(): Promise<string> } };
}
const PROM_CLIENT = "prom-client";
const prom = await import(PROM_CLIENT).then((m: { default?: PromClient }) => (m.default ?? m) as PromClient, () => undefined);

/** Two registries with the same metrics, as two workers of one app have. */
function workerRegistries(client: PromClient) {
  return [1, 2].map((worker) => {
    const registry = new client.Registry();
    const counter = new client.Counter({ name: "app_orders_total", help: "Orders.\nBy kind", labelNames: ["kind", "shop"], registers: [registry] });
    const histogram = new client.Histogram({ name: "app_work_seconds", help: "Work time.", buckets: [0.1, 1], labelNames: ["step"], registers: [registry] });
    const gauge = new client.Gauge({ name: "app_queue_depth", help: "Queue depth.", registers: [registry] });
    new client.Gauge({ name: "app_build_info", help: "Build.", aggregator: "first", labelNames: ["v"], registers: [registry] }).set({ v: "a\"b" }, worker);
    new client.Gauge({ name: "app_started", help: "Start.", aggregator: "omit", registers: [registry] }).set(worker);
    counter.inc({ kind: "book", shop: "x" }, worker);
    counter.inc({ shop: "x", kind: "pen" }, 10 * worker);
    for (let i = 0; i < worker * 3; i++) histogram.observe({ step: "a" }, i * 0.4);
    gauge.set(worker * 5);
    return registry;
  });
}

describe("the app's metrics across workers", () => {
  test("aggregate and render as prom-client's AggregatorRegistry does", { skip: !prom && "prom-client is not installed" }, async () => {
    const client = prom!;
    const lists = await Promise.all(workerRegistries(client).map((r) => r.getMetricsAsJSON()));
    const expected = await client.AggregatorRegistry.aggregate(lists).metrics();
    // What arrives over the bus: the JSON text of each worker's list.
    const ours = renderFamilies(aggregateFamilies(lists.map((list) => validFamilies(JSON.parse(JSON.stringify(list))))));
    // prom-client puts a blank line between families; the format allows either.
    assert.equal(ours, expected.replace(/\n\n/g, "\n"));
    assert.match(ours, /^app_orders_total\{kind="book",shop="x"\} 3$/m);
    assert.match(ours, /^app_work_seconds_bucket\{le="\+Inf",step="a"\} 9$/m);
  });

  test("sums counters and histogram series by name and labels, whatever the label order", () => {
    const one: MetricFamilyJSON[] = [{
      name: "hits_total", help: "Hits.", type: "counter", aggregator: "sum",
      values: [{ value: 2, labels: { a: "1", b: "2" } }],
    }];
    const two: MetricFamilyJSON[] = [{
      name: "hits_total", help: "Hits.", type: "counter", aggregator: "sum",
      values: [{ value: 5, labels: { b: "2", a: "1" } }, { value: 1, labels: { a: "3", b: "2" } }],
    }];
    assert.equal(renderFamilies(aggregateFamilies([one, two])), [
      "# HELP hits_total Hits.", "# TYPE hits_total counter", 'hits_total{a="1",b="2"} 7', 'hits_total{a="3",b="2"} 1', "",
    ].join("\n"));
  });

  test("keeps only well-formed families from a worker", () => {
    const input = [
      { name: "ok_total", help: "", type: "counter", values: [{ value: 1, labels: {} }] },
      { name: "bad name", help: "", type: "counter", values: [] },
      { name: "bad_value", help: "", type: "gauge", values: [{ value: "1", labels: {} }] },
      { name: "bad_label", help: "", type: "gauge", values: [{ value: 1, labels: { "x-y": "1" } }] },
      { name: "bad_type", help: "", type: "text", values: [] },
      null,
    ];
    assert.deepEqual(validFamilies(input).map((f) => f.name), ["ok_total"]);
    assert.deepEqual(validFamilies({ not: "a list" }), []);
  });

  test("an exited worker's counters and summed histograms are kept, its gauges are not", () => {
    const families: MetricFamilyJSON[] = [
      { name: "c_total", help: "", type: "counter", values: [] },
      { name: "h", help: "", type: "histogram", values: [] },
      { name: "g", help: "", type: "gauge", values: [] },
      { name: "s", help: "", type: "summary", values: [] },
      { name: "m", help: "", type: "counter", aggregator: "max", values: [] },
    ];
    assert.deepEqual(retainedOnExit(families).map((f) => f.name), ["c_total", "h"]);
  });

  test("leaves out families lsky already declares", () => {
    const taken = declaredFamilies("# HELP process_open_fds x\n# TYPE process_open_fds gauge\nprocess_open_fds 9\n");
    const families: MetricFamilyJSON[] = [
      { name: "process_open_fds", help: "", type: "gauge", values: [{ value: 1, labels: {} }] },
      { name: "app_total", help: "A.", type: "counter", values: [{ value: Infinity, labels: {} }] },
    ];
    assert.equal(renderFamilies(families, taken), "# HELP app_total A.\n# TYPE app_total counter\napp_total +Inf\n");
  });
});
