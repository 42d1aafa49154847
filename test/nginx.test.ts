import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { startKeepAliveLoad } from "./harness/keepalive-load.ts";
import { hostMigrates, toleratedResets } from "./harness/reset-bound.ts";
import { canMakeNamespaces, makeNamespace } from "./harness/netns.ts";
import { type Nginx, siteConfig, startNginx } from "./harness/nginx.ts";
import { freePort } from "./harness/ports.ts";
import { startRequestLoop } from "./harness/request-loop.ts";
import { skipBunBesideBinary } from "./harness/slow.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { httpsRequest, makeTestCertificate, type TestCertificate } from "./harness/tls.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

let cert: TestCertificate;
let publicDir: string;
before(() => {
  cert = makeTestCertificate();
  publicDir = mkdtempSync(join(tmpdir(), "lsky-public-"));
  chmodSync(publicDir, 0o755);
  writeFileSync(join(publicDir, "robots.txt"), "User-agent: *\n");
});
after(() => {
  killAll();
  cert?.remove();
  if (publicDir) rmSync(publicDir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  body: string;
}

function get(url: string, agent: Agent | false = false, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.once("error", reject);
    });
    req.setTimeout(20_000, () => req.destroy(new Error(`no answer from ${url}`)));
    req.once("error", reject);
    req.end();
  });
}

describeTargets("nginx in front of lsky", { binaryStandsForBun: true }, (target) => {
  let lsky: LskyProcess;
  let nginx: Nginx;
  let front: string;
  let frontTls: string;

  before(async () => {
    lsky = await startLsky(target, [fixture("whoami.ts"), "--workers", "2", "--host", "127.0.0.1", "--trust-proxy", "loopback"]);
    const [port, tlsPort] = [await freePort(), await freePort()];
    nginx = await startNginx(siteConfig({
      upstream: `127.0.0.1:${lsky.port}`, port, root: publicDir,
      tls: { port: tlsPort, cert: cert.certPath, key: cert.keyPath },
    }));
    front = `http://127.0.0.1:${port}`;
    frontTls = `https://127.0.0.1:${tlsPort}`;
  });
  after(async () => {
    await nginx?.stop();
    if (lsky) await lsky.stop();
  });

  test("static files come from nginx, everything else from the app", async () => {
    const file = await get(`${front}/robots.txt`);
    assert.deepEqual(file, { status: 200, body: "User-agent: *\n" });
    const app = await get(`${front}/hello?x=1`);
    assert.equal(app.status, 200);
    assert.equal(JSON.parse(app.body).url, `http://127.0.0.1/hello?x=1`);
  });

  test("the app sees the client's address and scheme through X-Forwarded-*", async () => {
    const plain = JSON.parse((await get(`${front}/who`)).body);
    assert.equal(plain.client, "127.0.0.1");
    const secure = await httpsRequest(`${frontTls}/who?s=1`, cert.ca);
    assert.equal(secure.status, 200);
    assert.equal(JSON.parse(secure.body).url, "https://127.0.0.1/who?s=1");
    // nginx appends its peer to what the client sent; lsky trusts 127.0.0.1 and walks past it.
    const chained = JSON.parse((await get(`${front}/who`, false, { "x-forwarded-for": "198.51.100.23" })).body);
    assert.equal(chained.client, "198.51.100.23");
  });

  test("lsky reload under keep-alive load through nginx fails no request", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const load = startRequestLoop(async () => (await get(`${front}/load`, agent)).status === 200, 4);
    try {
      await waitFor("requests flowing before the reload", () => load.ok >= 50);
      const reload = await runLsky(target, ["reload", "--port", String(lsky.port)]);
      assert.equal(reload.code, 0, reload.stderr);
      const atReload = load.ok;
      await waitFor("requests flowing after the reload", () => load.ok >= atReload + 50);
    } finally {
      await load.stop();
      agent.destroy();
    }
    const bound = toleratedResets({ engine: target.engine, migrate: hostMigrates(), newConnections: 0, proxyRetries: true });
    assert.ok(load.failed <= bound, `failed (at most ${bound} tolerated): ${load.failures.join("; ")}\nlsky:\n${lsky.output()}\nnginx:\n${nginx.output()}`);
    assert.match(lsky.stdout(), /reload finished/);
  });
});

// On a host with the kernel's default tcp_migrate_req=0, a stopping Bun or
// Deno worker's listener resets the connections queued on it; the documented
// block makes nginx retry those (idempotent) requests, so clients see no 502.
const NGINX_RELOADS = 4;
const LOAD_CLIENTS = Number(process.env.LSKY_NGINX_CLIENTS ?? 16);
for (const target of selectedTargets()) {
  describe(`nginx in front of lsky on ${target.name}, tcp_migrate_req=0`, {
    skip: (canMakeNamespaces() ? false : "needs root and iproute2 to make a network namespace") || skipBunBesideBinary(target, selectedTargets()),
  }, () => {
    test(`${NGINX_RELOADS} reloads under load through the documented block give no 502`, { timeout: 300_000 }, async () => {
      const namespace = makeNamespace({ "net.ipv4.tcp_migrate_req": "0" });
      let nginx: Nginx | undefined;
      try {
        const [port, frontPort] = [await freePort(), await freePort()];
        const server = await startLsky(target, [fixture("whoami.ts"), "--workers", "2", "--host", "127.0.0.1"], { prefix: namespace.exec, port });
        nginx = await startNginx(siteConfig({ upstream: `127.0.0.1:${port}`, port: frontPort, root: publicDir }), namespace.exec);
        // Clients that send a request every ~20 ms each, on keep-alive connections to nginx.
        const load = startKeepAliveLoad({ url: `http://127.0.0.1:${frontPort}/load`, clients: LOAD_CLIENTS, intervalMs: Number(process.env.LSKY_NGINX_INTERVAL ?? 20), maxSeconds: 280, prefix: namespace.exec });
        let result;
        try {
          await load.ready;
          await load.waitForSuccesses(200);
          for (let i = 0; i < NGINX_RELOADS; i++) {
            const reload = await runLsky(target, ["reload", "--port", String(port)]);
            assert.equal(reload.code, 0, reload.stderr);
            await load.waitForSuccesses(200);
          }
        } finally {
          result = await load.stop();
        }
        const resets = (nginx.output().match(/Connection reset by peer/g) ?? []).length;
        process.stdout.write(
          `# figure ${target.name} nginx, ${NGINX_RELOADS} reloads, tcp_migrate_req=0: ${result.failures} failed of ${result.requests} ` +
            `(non-2xx ${result.non2xx}, errors ${JSON.stringify(result.errors)}; upstream resets nginx retried: ${resets})\n`,
        );
        const bound = toleratedResets({ engine: target.engine, migrate: false, newConnections: result.connections, proxyRetries: true });
        assert.ok(result.failures <= bound, `${JSON.stringify(result)}\nnginx:\n${nginx.output()}`);
        assert.deepEqual(await server.stop(), { code: 0, signal: null });
      } finally {
        await nginx?.stop();
        namespace.remove();
      }
    });
  });
}
