import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, test } from "node:test";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const FORWARDED = {
  "x-forwarded-for": "198.51.100.7, 10.1.2.3",
  "x-forwarded-proto": "https",
  "x-forwarded-host": "shop.example",
};

async function whoami(server: LskyProcess, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, { method: "POST", headers, body: "payload" });
  assert.equal(response.status, 200);
  return response.json() as Promise<{ url: string; cloned: string; client: string; body: string }>;
}

/** GET `path` from a chosen local address (127.0.0.2 reaches a 127.0.0.1 listener too); the JSON the app answered. */
function whoamiFrom(localAddress: string, server: LskyProcess, path: string): Promise<{ url: string; cloned: string; client: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: server.port, path, localAddress, headers: FORWARDED, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    });
    req.on("error", reject);
    req.end();
  });
}

describeTargets("proxy headers, --https and the access log", (target) => {
  test("a trusted peer's X-Forwarded-* set client, scheme and host; the body still arrives", async () => {
    const server = await startLsky(target, [fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1", "--trust-proxy", "loopback,10.0.0.0/8"]);
    const seen = await whoami(server, "/a?b=1", FORWARDED);
    assert.deepEqual(seen, { ...seen, url: "https://shop.example/a?b=1", cloned: "https://shop.example/a?b=1", client: "198.51.100.7", body: "payload" });
    const forwarded = await whoami(server, "/f", { forwarded: 'for="[2001:db8::5]:1234";proto=https;host=fwd.example' });
    assert.equal(forwarded.url, "https://fwd.example/f");
    assert.equal(forwarded.client, "2001:db8::5");
    assert.match(server.stdout(), /trusting proxies loopback,10\.0\.0\.0\/8/);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("an untrusted peer's headers are ignored", async () => {
    const server = await startLsky(target, [fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1", "--trust-proxy", "10.0.0.1"]);
    const seen = await whoami(server, "/a", FORWARDED);
    assert.equal(seen.url, `http://127.0.0.1:${server.port}/a`);
    assert.equal(seen.client, "127.0.0.1");
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("on a 127.0.0.1 listener, one trusted address is checked per peer; loopback trusts every peer without a look-up", async () => {
    const one = await startLsky(target, [fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1", "--trust-proxy", "127.0.0.1"]);
    // The rightmost hop is the client: only the peer is trusted.
    assert.equal((await whoamiFrom("127.0.0.1", one, "/a")).client, "10.1.2.3");
    const other = await whoamiFrom("127.0.0.2", one, "/a");
    assert.equal(other.client, "127.0.0.2", "a peer outside the list is not believed");
    assert.equal(other.url, `http://127.0.0.1:${one.port}/a`);
    assert.deepEqual(await one.stop(), { code: 0, signal: null });
    const all = await startLsky(target, [fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1", "--trust-proxy", "loopback"]);
    const seen = await whoamiFrom("127.0.0.2", all, "/a");
    assert.deepEqual([seen.client, seen.url, seen.cloned], ["10.1.2.3", "https://shop.example/a", "https://shop.example/a"]);
    assert.deepEqual(await all.stop(), { code: 0, signal: null });
  });

  test("without --trust-proxy nothing is believed; LSKY_HTTPS makes URLs https", async () => {
    const server = await startLsky(target, [fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1"], { env: { LSKY_HTTPS: "true" } });
    const seen = await whoami(server, "/x?y", FORWARDED);
    assert.equal(seen.url, `https://127.0.0.1:${server.port}/x?y`);
    assert.equal(seen.client, "127.0.0.1");
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("--access-log prints one line per request with client, method, path, status, bytes, duration", async () => {
    const server = await startLsky(target, [fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1", "--access-log", "--trust-proxy", "127.0.0.1"]);
    const seen = await fetch(`${server.url}/logged?q=1`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    const body = await seen.text();
    // A body held in memory is not turned into a chunked stream to be counted.
    assert.equal(seen.headers.get("content-length"), String(Buffer.byteLength(body)));
    assert.equal(seen.headers.get("transfer-encoding"), null);
    const streamed = await fetch(`${server.url}/stream`);
    assert.equal(await streamed.text(), "one,two,three");
    const sized = new RegExp(`^\\[w1\\] \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z 203\\.0\\.113\\.9 "GET /logged\\?q=1" 200 ${Buffer.byteLength(body)} \\d+\\.\\d\\dms$`, "m");
    await waitFor("the access line of /logged", () => sized.test(server.stdout()));
    await waitFor("the access line of /stream", () => /^\[w1\] \S+ 127\.0\.0\.1 "GET \/stream" 200 13 \d+\.\d\dms$/m.test(server.stdout()));
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    assert.equal(server.stdout().match(/"GET /g)?.length, 2);
  });

  test("--access-log --log-format json: one object a request, the worker first, beside the app's own lines", async () => {
    const server = await startLsky(target, [fixture("env-echo.ts"), "--workers", "1", "--host", "127.0.0.1", "--access-log"], {
      env: { LSKY_LOG_FORMAT: "json" },
    });
    assert.equal(await (await fetch(`${server.url}/?name=NOTHING`)).text(), "(unset)");
    await waitFor("the access line", () => server.stdout().includes('"type":"access"'));
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    const objects = server.stdout().split("\n").filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    const access = objects.filter((o) => o.type === "access");
    assert.equal(access.length, 1);
    assert.deepEqual(Object.keys(access[0]!), ["worker", "type", "time", "client", "method", "path", "status", "bytes", "durationMs"]);
    assert.deepEqual({ ...access[0], time: 0, durationMs: 0 }, {
      worker: 1, type: "access", time: 0, client: "127.0.0.1", method: "GET", path: "/?name=NOTHING", status: 200, bytes: 7, durationMs: 0,
    });
    assert.ok(objects.some((o) => o.worker === 1 && o.stream === "stdout" && o.msg === "looked up NOTHING"));
  });

  test("--access-log: the lines of requests answered just before a stop are all printed", async () => {
    const server = await startLsky(target, [fixture("env-echo.ts"), "--workers", "2", "--host", "127.0.0.1", "--access-log"]);
    const count = 120;
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => fetch(`${server.url}/?name=N${i}`).then((r) => r.text())));
    assert.deepEqual(new Set(answers), new Set(["(unset)"]));
    // Stopped at once: lines may still wait in a worker's batch (written every 50 ms, and at exit).
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    const logged = server.stdout().match(/^\[w[12]\] \S+ 127\.0\.0\.1 "GET \/\?name=N\d+" 200 7 \d+\.\d\dms$/gm) ?? [];
    assert.equal(logged.length, count);
    assert.equal(server.stdout().match(/^\[w[12]\] looked up N\d+$/gm)?.length, count);
  });

  test("a bad --trust-proxy entry is a usage error naming it (exit 2)", async () => {
    const result = await runLsky(target, ["serve", fixture("whoami.ts"), "--port", "0", "--trust-proxy", "127.0.0.1,localhost"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Invalid value "127\.0\.0\.1,localhost" for --trust-proxy: "localhost" is not an IP address or CIDR/);
  });

  test("a process the app starts inherits only its standard streams, none of the supervisor's sockets; the access log's variable stays lsky's", async () => {
    // Two workers: the second is started after the supervisor accepted the first's bus connection.
    const plain = await startLsky(target, [fixture("child-fds.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    for (let i = 0; i < 4; i++) assert.deepEqual(await (await fetch(plain.url)).json(), { sockets: [], accessLogEnv: null });
    assert.deepEqual(await plain.stop(), { code: 0, signal: null });
    const logged = await startLsky(target, [fixture("child-fds.ts"), "--workers", "1", "--host", "127.0.0.1", "--access-log"]);
    // A Deno worker cannot mark the access log's pipe close-on-exec without FFI, which it does not load (docs/DEPLOYMENT.md).
    const sockets = target.engine === "deno" ? [3] : [];
    assert.deepEqual(await (await fetch(logged.url)).json(), { sockets, accessLogEnv: null });
    assert.deepEqual(await logged.stop(), { code: 0, signal: null });
  });

  test("the access log is off by default", async () => {
    const server = await startLsky(target, [fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    assert.equal((await fetch(`${server.url}/quiet`)).status, 200);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
    assert.doesNotMatch(server.stdout(), /GET \/quiet/);
  });
});
