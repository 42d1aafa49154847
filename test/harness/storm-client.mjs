// A connection storm: CONCURRENCY loops, each sending requests on a new
// connection every time (no keep-alive), until SIGTERM or SECONDS have passed,
// then prints one JSON line of counts. Plain JavaScript so `node` runs it anywhere, including
// inside a network namespace. Usage: node storm-client.mjs URL CONCURRENCY SECONDS
import http from "node:http";

const [url, concurrencyText, secondsText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const deadline = Date.now() + Number(secondsText) * 1000;
const counts = { requests: 0, ok: 0, non2xx: 0, errors: {} };

function once() {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, headers: { connection: "close" }, timeout: 10_000 }, (response) => {
      response.resume();
      response.on("end", () => {
        counts.requests++;
        if (response.statusCode >= 200 && response.statusCode < 300) counts.ok++;
        else counts.non2xx++;
        resolve();
      });
      response.on("error", (error) => fail(error, resolve));
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    request.on("error", (error) => fail(error, resolve));
  });
}

function fail(error, resolve) {
  counts.requests++;
  const code = error.code ?? "OTHER";
  counts.errors[code] = (counts.errors[code] ?? 0) + 1;
  resolve();
}

let stopped = false;
process.on("SIGTERM", () => (stopped = true));

async function loop() {
  while (!stopped && Date.now() < deadline) await once();
}

await Promise.all(Array.from({ length: concurrency }, loop));
process.stdout.write(`${JSON.stringify(counts)}\n`);
