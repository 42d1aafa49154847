// Many idle-ish keep-alive clients: CLIENTS virtual users, each with its own
// connection (a node:http Agent with keepAlive and one socket), each sending a
// GET every INTERVAL ms (with ±10% jitter so they do not march in step) until
// SIGTERM or SECONDS have passed. The start is spread over one interval.
// Plain JavaScript so `node` runs it anywhere, including inside a network
// namespace. It prints JSON lines on stdout:
//   {"type":"ready"}  once every client has had one answer (or after 60 s),
//   {"type":"progress","ok":N,"failed":N}  every second,
//   {"type":"done", requests, ok, non2xx, connections, errors: {code: n}, failedOn: {reused, fresh}, samples: [...]}
//   at the end (connections: how many it opened, the first ones included;
//   failedOn: connection errors on a kept-alive connection, with how long it
//   had been idle in the samples, and on one opened for the request).
// A failure is what a user of such a client would see: a connection error
// (reset, "socket hang up", timeout) or a status other than 2xx.
// With LSKY_TRACE=1 each failure is also written to stderr with its time (ms).
// Usage: node keepalive-client.mjs URL CLIENTS INTERVAL_MS SECONDS
import http from "node:http";

const [url, clientsText, intervalText, secondsText] = process.argv.slice(2);
const clients = Number(clientsText);
const interval = Number(intervalText);
const deadline = Date.now() + Number(secondsText) * 1000;
const counts = { requests: 0, ok: 0, non2xx: 0, connections: 0, errors: {}, failedOn: { reused: 0, fresh: 0 }, samples: [] };
const seen = new WeakSet();
// When each connection last finished an answer: how long a reused one sat idle.
const lastAnswer = new WeakMap();
let stopped = false;
let answeredOnce = 0;

function note(text) {
  if (counts.samples.length < 10) counts.samples.push(text);
}

function once(agent) {
  return new Promise((resolve) => {
    const request = http.get(url, { agent, timeout: 60_000 }, (response) => {
      response.resume();
      response.on("end", () => {
        lastAnswer.set(request.socket, Date.now());
        counts.requests++;
        if (response.statusCode >= 200 && response.statusCode < 300) counts.ok++;
        else {
          counts.non2xx++;
          note(`status ${response.statusCode}`);
        }
        resolve();
      });
      response.on("error", (error) => fail(error, request, resolve));
    });
    request.on("socket", (socket) => {
      if (!seen.has(socket)) seen.add(socket), counts.connections++;
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    request.on("error", (error) => fail(error, request, resolve));
  });
}

function fail(error, request, resolve) {
  counts.requests++;
  const code = error.code ?? "OTHER";
  counts.errors[code] = (counts.errors[code] ?? 0) + 1;
  const answered = request.socket && lastAnswer.get(request.socket);
  counts.failedOn[request.reusedSocket ? "reused" : "fresh"]++;
  const where = request.reusedSocket ? `a kept-alive connection idle ${answered ? Date.now() - answered : "?"} ms` : "a new connection";
  note(`${code} on ${where}: ${error.message}`);
  if (process.env.LSKY_TRACE) process.stderr.write(`fail ${Date.now()} ${code}\n`);
  resolve();
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

async function client() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  await sleep(Math.random() * interval);
  let first = true;
  while (!stopped && Date.now() < deadline) {
    const started = Date.now();
    await once(agent);
    if (first) {
      first = false;
      if (++answeredOnce === clients) ready();
    }
    const jitter = interval * (0.9 + Math.random() * 0.2);
    await sleep(Math.max(0, jitter - (Date.now() - started)));
  }
  agent.destroy();
}

let readySent = false;
function ready() {
  if (readySent) return;
  readySent = true;
  emit({ type: "ready" });
}

function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

process.on("SIGTERM", () => (stopped = true));
const readyAnyway = setTimeout(ready, 60_000);
const progress = setInterval(() => {
  const failed = counts.non2xx + Object.values(counts.errors).reduce((a, b) => a + b, 0);
  emit({ type: "progress", ok: counts.ok, failed });
}, 1000);

await Promise.all(Array.from({ length: clients }, client));
clearTimeout(readyAnyway);
clearInterval(progress);
emit({ type: "done", ...counts });
