import assert from "node:assert/strict";
import { Agent } from "node:https";
import { after, before, test } from "node:test";
import { killAll, runLsky, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { fixture } from "./harness/targets.ts";
import { startRequestLoop } from "./harness/request-loop.ts";
import { waitFor } from "./harness/wait.ts";
import { http2Request, httpsRequest, persistentHttp2, makeTestCertificate, type TestCertificate } from "./harness/tls.ts";
import { countConnections, hostMigrates, toleratedResets } from "./harness/reset-bound.ts";
import { describeTargets } from "./harness/describe-targets.ts";

let cert: TestCertificate;

// The reload case: workers replaced, and HTTP/2 streams kept in flight on one session.
const WORKERS = 2;
const H2_STREAMS = 2;

/** The fields of the whoami fixture's answer that the proxy stage sets. */
const pick = ({ url, client }: { url: string; client: string }) => ({ url, client });
before(() => (cert = makeTestCertificate()));
after(() => {
  killAll();
  cert?.remove();
});

describeTargets("TLS", (target) => {
  test("serves HTTPS/1.1 and HTTP/2 on one port, and redirects plain HTTP with 308", async () => {
    const redirectPort = await freePort();
    const server = await startLsky(target, [
      fixture("whoami.ts"), "--workers", "2", "--host", "127.0.0.1",
      "--tls-cert", cert.certPath, "--tls-key", cert.keyPath, "--http-redirect", String(redirectPort),
    ]);
    const origin = `https://127.0.0.1:${server.port}`;
    assert.match(server.stdout(), new RegExp(`at ${origin} \\[TLS, HTTP/2 and HTTP/1\\.1; http://127\\.0\\.0\\.1:${redirectPort} redirects to https\\]`));

    const h1 = await httpsRequest(`${origin}/one?x=1`, cert.ca);
    assert.equal(h1.status, 200);
    assert.equal(h1.alpn, "http/1.1");
    assert.equal(JSON.parse(h1.body).url, `${origin}/one?x=1`);

    const h2 = await http2Request(origin, "/two?y=2", cert.ca);
    assert.equal(h2.status, 200);
    assert.equal(h2.alpn, "h2");
    assert.equal(JSON.parse(h2.body).url, `${origin}/two?y=2`);

    const redirect = await fetch(`http://127.0.0.1:${redirectPort}/three?z=3`, { redirect: "manual" });
    assert.equal(redirect.status, 308);
    assert.equal(redirect.headers.get("location"), `${origin}/three?z=3`);

    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("behind a trusted proxy, X-Forwarded-* over HTTP/2 and HTTPS/1.1 give the app the client, scheme and host", async () => {
    const server = await startLsky(target, [
      fixture("whoami.ts"), "--workers", "1", "--host", "127.0.0.1", "--trust-proxy", "loopback",
      "--tls-cert", cert.certPath, "--tls-key", cert.keyPath,
    ]);
    const origin = `https://127.0.0.1:${server.port}`;
    // Two X-Forwarded-For fields: the right-most hop is the client (every hop is outside loopback).
    const forwarded = { "x-forwarded-for": ["203.0.113.7", "198.51.100.2"], "x-forwarded-proto": "http", "x-forwarded-host": "shop.example" };
    const h2 = await http2Request(origin, "/two?y=2", cert.ca, forwarded);
    assert.equal(h2.alpn, "h2");
    assert.deepEqual(pick(JSON.parse(h2.body)), { url: "http://shop.example/two?y=2", client: "198.51.100.2" });
    const h1 = await httpsRequest(`${origin}/one`, cert.ca, { ...forwarded, "x-forwarded-for": "203.0.113.7, 198.51.100.3" });
    assert.equal(h1.alpn, "http/1.1");
    assert.deepEqual(pick(JSON.parse(h1.body)), { url: "http://shop.example/one", client: "198.51.100.3" });
    const direct = await http2Request(origin, "/plain", cert.ca);
    assert.deepEqual(pick(JSON.parse(direct.body)), { url: `${origin}/plain`, client: "127.0.0.1" });
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("lsky reload under HTTPS keep-alive load (HTTP/1.1 and HTTP/2) fails no request", async () => {
    const server = await startLsky(target, [
      fixture("whoami.ts"), "--workers", String(WORKERS), "--host", "127.0.0.1", "--tls-cert", cert.certPath, "--tls-key", cert.keyPath,
    ]);
    const origin = `https://127.0.0.1:${server.port}`;
    const agent = new Agent({ keepAlive: true, maxSockets: 2, ca: cert.ca });
    const opened = countConnections(agent);
    const h1 = startRequestLoop(async () => (await httpsRequest(`${origin}/h1`, cert.ca, {}, agent)).status === 200, 2);
    const h2Client = persistentHttp2(origin, cert.ca);
    const h2 = startRequestLoop(async () => {
      const answer = await h2Client.get("/h2");
      if (answer.status !== 200) throw new Error(`status ${answer.status}, headers ${JSON.stringify(answer.headers)}, body ${JSON.stringify(answer.body.slice(0, 200))}`);
      return true;
    }, H2_STREAMS);
    try {
      await waitFor("requests before the reload", () => h1.ok >= 20 && h2.ok >= 5);
      const reload = await runLsky(target, ["reload", "--port", String(server.port)]);
      assert.equal(reload.code, 0, reload.stderr);
      const [h1At, h2At] = [h1.ok, h2.ok];
      await waitFor("requests after the reload", () => h1.ok >= h1At + 20 && h2.ok >= h2At + 5);
    } finally {
      await Promise.all([h1.stop(), h2.stop()]);
      agent.destroy();
      h2Client.close();
    }
    const migrate = hostMigrates();
    const h1Bound = toleratedResets({ engine: target.engine, migrate, newConnections: opened() });
    assert.ok(h1.failed <= h1Bound, `HTTPS/1.1: ${h1.failed} failed (at most ${h1Bound} tolerated): ${h1.failures.join("; ")}`);
    // The HTTP/2 client opens at most one new session per worker drained (an upper estimate).
    const http2 = { streamsInFlight: H2_STREAMS, workersStopped: WORKERS };
    const h2Bound = toleratedResets({ engine: target.engine, migrate, newConnections: WORKERS, http2 });
    assert.ok(h2.failed <= h2Bound, `HTTP/2: ${h2.failed} failed (at most ${h2Bound} tolerated): ${h2.failures.join("; ")}`);
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });

  test("--tls-cert without --tls-key is a usage error (exit 2)", async () => {
    const result = await runLsky(target, ["serve", fixture("whoami.ts"), "--port", "0", "--tls-cert", cert.certPath]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--tls-cert and --tls-key go together/);
  });

  test("an unreadable certificate fails at start with the path named", async () => {
    const result = await runLsky(target, ["serve", fixture("whoami.ts"), "--port", "0", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", cert.keyPath]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Cannot read --tls-cert "\/nonexistent\/cert\.pem": ENOENT/);
  });
});
