// Measures what Deno.serve's shutdown() does to HTTP/2 streams in flight
// (docs/RELIABILITY.md, "Deno.serve"): a raw Deno.serve over TLS, one client
// session keeping STREAMS requests in flight, shutdown() after about a second.
// Counts the streams that ended without an answer although the server's
// GOAWAY counted them as received, and the handler calls the server saw.
// Usage: node --import tsx scripts/deno-h2-shutdown.ts [rounds] [--busy]
// (--busy keeps both cores busy meanwhile, as a loaded host or CI does).
import { spawn, type ChildProcess } from "node:child_process";
import { connect } from "node:http2";
import { join } from "node:path";
import { freePort } from "../test/harness/ports.ts";
import { makeTestCertificate } from "../test/harness/tls.ts";
import { tempDir } from "../test/harness/temp-dir.ts";
import { writeFileSync } from "node:fs";

const rounds = Number(process.argv[2] ?? 20);
const busy = process.argv.includes("--busy");
const STREAMS = 2;
const DENO = join(import.meta.dirname, "..", "node_modules", ".bin", "deno");

// The server prints "listening", then, after its shutdown, how often the handler ran.
const SERVER = `
const [port, certPath, keyPath] = Deno.args;
let calls = 0;
const server = Deno.serve({ hostname: "127.0.0.1", port: Number(port), cert: Deno.readTextFileSync(certPath), key: Deno.readTextFileSync(keyPath), onListen() { console.log("listening"); } }, () => {
  calls++;
  return new Response("hi");
});
setTimeout(async () => {
  await server.shutdown();
  console.log("calls " + calls);
}, 1000);
`;

interface Round { answered: number; dropped: number; handlerCalls: number }

async function round(dir: string, cert: ReturnType<typeof makeTestCertificate>): Promise<Round> {
  const port = await freePort();
  const server = spawn(DENO, ["run", "-A", "--quiet", join(dir, "server.ts"), String(port), cert.certPath, cert.keyPath], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  server.stdout!.setEncoding("utf8").on("data", (s: string) => (output += s));
  await until(() => output.includes("listening"));
  const session = connect(`https://127.0.0.1:${port}`, { ca: cert.ca });
  session.on("error", () => {});
  let lastReceived = Infinity;
  session.on("goaway", (_code, last) => (lastReceived = Math.min(lastReceived, last)));
  let answered = 0;
  const unanswered: number[] = [];
  const send = () => new Promise<boolean>((resolve) => {
    if (session.closed || session.destroyed) return resolve(false);
    const stream = session.request({ ":path": "/" });
    let status: unknown;
    stream.on("response", (headers) => (status = headers[":status"]));
    stream.on("data", () => {});
    stream.on("error", () => {});
    stream.on("close", () => {
      if (status === 200) answered++;
      else unanswered.push(stream.id!);
      resolve(true);
    });
    stream.end();
  });
  const loop = async () => { while (await send()); };
  await Promise.all(Array.from({ length: STREAMS }, loop));
  await exited(server);
  const handlerCalls = Number(/calls (\d+)/.exec(output)?.[1] ?? NaN);
  return { answered, dropped: unanswered.filter((id) => id <= lastReceived).length, handlerCalls };
}

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => check() && (clearInterval(timer), resolve()), 5);
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Two busy loops, one per core, stopped by pid when the run ends. */
function busyLoops(): ChildProcess[] {
  return [0, 1].map(() => spawn(process.execPath, ["-e", "for(;;);"], { stdio: "ignore" }));
}

const dir = tempDir("lsky-deno-h2-");
writeFileSync(join(dir, "server.ts"), SERVER);
const cert = makeTestCertificate();
const loops = busy ? busyLoops() : [];
try {
  let withDrops = 0;
  let dropped = 0;
  let mismatched = 0;
  for (let i = 0; i < rounds; i++) {
    const result = await round(dir, cert);
    if (result.dropped > 0) withDrops++;
    dropped += result.dropped;
    if (result.handlerCalls > result.answered) mismatched++;
  }
  console.log(`Deno.serve over TLS, ${STREAMS} streams in flight, ${rounds} shutdowns${busy ? " with both cores busy" : ""}: ` +
    `streams dropped in ${withDrops} (${dropped} streams in all, each within the GOAWAY's last stream); ` +
    `rounds where the handler ran for a stream that got no answer: ${mismatched}`);
} finally {
  for (const loop of loops) loop.kill();
  cert.remove();
}
