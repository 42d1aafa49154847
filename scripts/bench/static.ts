// Static files and compression: lsky against nginx serving the same folder,
// and what --compress costs and saves. Interleaves the candidates (A B A B...)
// in every round and reports medians and ratios, because a load generator on
// the same 2-core machine makes absolute numbers move between runs.
//
//   node --import tsx scripts/bench/static.ts [--engines bun,node,deno] [--rounds 3]
//     [--duration 3] [--connections 32] [--out docs/BENCHMARKS-STATIC.md] [--note TEXT]
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../../test/harness/targets.ts";
import { median, runWrk } from "./_static-wrk.ts";
import { type RunningServer, startLsky, startNginx } from "./_static-servers.ts";

const { values: opts } = parseArgs({
  options: {
    engines: { type: "string", default: "bun,node,deno" },
    rounds: { type: "string", default: "3" },
    duration: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    out: { type: "string", default: join(ROOT, "docs", "BENCHMARKS-STATIC.md") },
    note: { type: "string", default: "" },
  },
});
const engines = opts.engines!.split(",").map((s) => s.trim()).filter(Boolean);
const rounds = Number(opts.rounds);
const load = { durationSec: Number(opts.duration), connections: Number(opts.connections), threads: 1 };

const FILES = { "small.html (1 KiB)": "/small.html", "medium.js (32 KiB)": "/medium.js", "large.bin (1 MiB)": "/large.bin" };

function createSite(): string {
  const dir = mkdtempSync(join(tmpdir(), "lsky-bench-static-"));
  const pub = join(dir, "public");
  mkdirSync(pub);
  writeFileSync(join(pub, "small.html"), `<!doctype html><title>small</title>${"<p>hello</p>".repeat(84)}`);
  writeFileSync(join(pub, "medium.js"), Array.from({ length: 700 }, (_, i) => `export const value${i} = compute(${i}, "item");\n`).join("").slice(0, 32768));
  writeFileSync(join(pub, "large.bin"), Buffer.from(Array.from({ length: 1 << 20 }, (_, i) => (i * 2654435761) >>> 24)));
  // nginx's workers run as nobody: the folder must be readable by others.
  chmodSync(dir, 0o755);
  chmodSync(pub, 0o755);
  const page = Array.from({ length: 400 }, (_, i) => `<tr><td>${i}</td><td>row ${i}</td><td>${(i * 37) % 101}</td></tr>`).join("\n");
  writeFileSync(join(dir, "app.ts"), `const page = ${JSON.stringify(`<!doctype html><table>${page}</table>`)};
export default { fetch: () => new Response(page, { headers: { "content-type": "text/html; charset=utf-8" } }) };
`);
  return dir;
}

/** Body bytes of one response (node:http does not decode), for the compression ratio. */
function bodyBytes(url: string, headers: Record<string, string>): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent: false }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ bytes, encoding: String(res.headers["content-encoding"] ?? "identity") }));
    }).on("error", reject).end();
  });
}

interface Row {
  label: string;
  results: Map<string, number[]>;
}

async function measure(rows: Row[], cases: Array<{ row: string; server: RunningServer; path: string; headers?: Record<string, string> }>): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    // Rotate who goes first so no candidate always gets the warm (or cold) slot.
    const ordered = cases.map((_, i) => cases[(i + round) % cases.length]!);
    for (const c of ordered) {
      const result = await runWrk({ ...load, url: c.server.url + c.path, headers: c.headers });
      if (result.errors > 0) throw new Error(`${c.server.name} ${c.path}: ${result.errors} errors`);
      const row = rows.find((r) => r.label === c.row)!;
      row.results.set(c.server.name, [...(row.results.get(c.server.name) ?? []), result.requestsPerSec]);
      process.stderr.write(`round ${round + 1} ${c.row} ${c.server.name}: ${result.requestsPerSec.toFixed(0)} req/s\n`);
    }
  }
}

function table(rows: Row[], names: string[], baseline: string): string {
  const head = `| case | ${names.map((n) => `${n} req/s`).join(" | ")} | ${names.filter((n) => n !== baseline).map((n) => `${n} / ${baseline}`).join(" | ")} |`;
  const sep = `|${"---|".repeat(1 + names.length * 2 - 1)}`;
  const lines = rows.map((row) => {
    const med = (n: string) => median(row.results.get(n) ?? [NaN]);
    const ratios = names.filter((n) => n !== baseline).map((n) => (med(n) / med(baseline)).toFixed(2));
    return `| ${row.label} | ${names.map((n) => med(n).toFixed(0)).join(" | ")} | ${ratios.join(" | ")} |`;
  });
  return [head, sep, ...lines].join("\n");
}

async function main(): Promise<void> {
  execFileSync(join(ROOT, "scripts", "install-system-deps.sh"), ["nginx"], { stdio: "inherit" });
  if (!existsSync(join(ROOT, "dist", "lsky.mjs"))) throw new Error("dist/lsky.mjs is missing: run node build/build.mjs first");
  const site = createSite();
  const pub = join(site, "public");
  const servers: RunningServer[] = [];
  try {
    const nginx = await startNginx("nginx", pub, site, false);
    servers.push(nginx);
    for (const engine of engines) servers.push(await startLsky(`lsky-${engine}`, engine, join(site, "app.ts"), pub));
    const staticRows: Row[] = Object.keys(FILES).map((label) => ({ label, results: new Map() }));
    await measure(staticRows, Object.entries(FILES).flatMap(([row, path]) => servers.map((server) => ({ row, server, path }))));

    const engine = engines[0]!;
    const plain = servers.find((s) => s.name === `lsky-${engine}`)!;
    const compressing = await startLsky(`lsky-${engine}-compress`, engine, join(site, "app.ts"), pub, ["--compress"]);
    servers.push(compressing);
    const nginxGzip = await startNginx("nginx-gzip", pub, site, true);
    servers.push(nginxGzip);
    const compressionCases = [
      { label: "app page, no compression", server: plain, path: "/page", headers: { "accept-encoding": "gzip, br" } },
      { label: "app page, --compress gzip", server: compressing, path: "/page", headers: { "accept-encoding": "gzip" } },
      { label: "app page, --compress br", server: compressing, path: "/page", headers: { "accept-encoding": "br" } },
      { label: "medium.js, nginx gzip on", server: nginxGzip, path: "/medium.js", headers: { "accept-encoding": "gzip" } },
      { label: "medium.js, lsky --compress gzip", server: compressing, path: "/medium.js", headers: { "accept-encoding": "gzip" } },
      { label: "medium.js, lsky --compress br", server: compressing, path: "/medium.js", headers: { "accept-encoding": "br" } },
    ];
    const noStatic = await startLsky(`lsky-${engine}-no-static`, engine, join(site, "app.ts"), "off");
    servers.push(noStatic);
    const stageRows: Row[] = [{ label: "app page (static on: the path remembered as a miss)", results: new Map() }, { label: "app page (--static off)", results: new Map() }];
    await measure(stageRows, [{ row: stageRows[0]!.label, server: plain, path: "/page" }, { row: stageRows[1]!.label, server: noStatic, path: "/page" }]);
    const sizes = await Promise.all(compressionCases.map((c) => bodyBytes(c.server.url + c.path, c.headers)));
    const compressionRows: Row[] = compressionCases.map((c) => ({ label: c.label, results: new Map() }));
    await measure(compressionRows, compressionCases.map((c) => ({ row: c.label, server: c.server, path: c.path, headers: c.headers })));
    const report = render(staticRows, servers.slice(0, 1 + engines.length).map((s) => s.name), compressionCases, sizes, compressionRows, engine)
      + stageCost(stageRows, plain.name, noStatic.name, engine);
    process.stdout.write(report);
    writeFileSync(opts.out!, report);
  } finally {
    for (const server of servers) await server.stop();
    rmSync(site, { recursive: true, force: true });
  }
}

function stageCost(rows: Row[], withStatic: string, withoutStatic: string, engine: string): string {
  const on = median(rows[0]!.results.get(withStatic)!);
  const off = median(rows[1]!.results.get(withoutStatic)!);
  return `
## What the static stage costs requests for the app (lsky on ${engine})

| case | req/s |
|---|---|
| ${rows[0]!.label} | ${on.toFixed(0)} |
| ${rows[1]!.label} | ${off.toFixed(0)} |
| ratio on / off | ${(on / off).toFixed(2)} |
`;
}

function render(staticRows: Row[], names: string[], cases: Array<{ label: string; server: RunningServer }>,
  sizes: Array<{ bytes: number; encoding: string }>, rows: Row[], engine: string): string {
  const compression = cases.map((c, i) => {
    const rps = median(rows[i]!.results.get(c.server.name) ?? [NaN]);
    return `| ${c.label} | ${sizes[i]!.encoding} | ${sizes[i]!.bytes} | ${rps.toFixed(0)} |`;
  });
  const note = opts.note ? `\n> ${opts.note}\n` : "";
  return `# Static files and compression: measurements
${note}
Produced by \`node --import tsx scripts/bench/static.ts --engines ${engines.join(",")} --rounds ${rounds} --duration ${load.durationSec} --connections ${load.connections}\`
on ${new Date().toISOString().slice(0, 10)}: wrk -t1 -c${load.connections}, keep-alive, one worker process each
(lsky \`--workers 1\`, nginx \`worker_processes 1\`, sendfile on, access log off), candidates interleaved
in every round, medians of ${rounds} rounds. Compare ratios, not absolute numbers: the load generator
shares the machine's 2 cores with the server.

## Static throughput (same folder, lsky vs nginx)

${table(staticRows, names, "nginx")}

## Compression (lsky on ${engine}; nginx gzip_comp_level 1 for reference)

| case | Content-Encoding | body bytes | req/s |
|---|---|---|---|
${compression.join("\n")}
`;
}

await main();
