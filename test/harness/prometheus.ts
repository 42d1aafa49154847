import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.ts";
import { waitFor } from "./wait.ts";

/** A real Prometheus server (Debian package) scraping one target, for metrics tests. */
export interface PrometheusServer {
  url: string;
  /** Runs an instant query and returns the first sample's value, if any. */
  query(expression: string): Promise<number | undefined>;
  stop(): Promise<void>;
}

export async function startPrometheus(scrapeTarget: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), "lsky-prom-"));
  const port = await freePort();
  writeFileSync(join(dir, "prometheus.yml"), [
    "global:",
    "  scrape_interval: 1s",
    "scrape_configs:",
    "  - job_name: lsky",
    "    static_configs:",
    `      - targets: ["${scrapeTarget}"]`,
    "",
  ].join("\n"));
  const child: ChildProcess = spawn("prometheus", [
    `--config.file=${join(dir, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor("prometheus to be ready", async () => (await fetch(`${url}/-/ready`)).ok, 30_000, 100);
  return {
    url,
    async query(expression) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`);
      const body = await response.json() as { data?: { result?: { value: [number, string] }[] } };
      const sample = body.data?.result?.[0];
      return sample ? Number(sample.value[1]) : undefined;
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
