import assert from "node:assert/strict";
import { type EventEmitter, once } from "node:events";
import { createRequire } from "node:module";
import { after, before, test } from "node:test";
import { describeTargets } from "./harness/describe-targets.ts";
import { killAll, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { makeTestCertificate, type TestCertificate } from "./harness/tls.ts";

let cert: TestCertificate;
before(() => (cert = makeTestCertificate()));
after(() => {
  killAll();
  cert?.remove();
});

// The `ws` package's client, as an independent peer (its types in src/ cover only the server side).
interface WsClient extends EventEmitter {
  send(text: string): void;
  terminate(): void;
}
const WebSocket = createRequire(import.meta.url)("ws") as new (url: string, options: { ca: string }) => WsClient;

/** The next message as text (the `ws` package hands over Buffers). */
async function nextText(ws: WsClient): Promise<string> {
  const [data] = (await once(ws, "message")) as [Buffer];
  return data.toString("utf8");
}

describeTargets("WebSocket over TLS", (target) => {
  test("wss:// goes through the app (its own 403 included), echoes, and gets 1001 when the server stops", async () => {
    const server = await startLsky(target, [fixture("ws-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--tls-cert", cert.certPath, "--tls-key", cert.keyPath]);
    try {
      const refused = new WebSocket(`wss://127.0.0.1:${server.port}/ws?token=bad`, { ca: cert.ca });
      const [, response] = (await once(refused, "unexpected-response")) as [unknown, { statusCode: number }];
      assert.equal(response.statusCode, 403);
      // Ending a handshake that never finished is reported as an error: expected here.
      refused.on("error", () => {});
      refused.terminate();

      const ws = new WebSocket(`wss://127.0.0.1:${server.port}/ws`, { ca: cert.ca });
      const hello = JSON.parse(await nextText(ws)) as { id: string; worker: number };
      assert.match(hello.id, /^1-[0-9a-z]+-\d+$/);
      ws.send("echo:héllo over tls");
      assert.equal(await nextText(ws), "héllo over tls");
      const closed = once(ws, "close") as Promise<[number, Buffer]>;
      const exit = server.stop();
      assert.equal((await closed)[0], 1001);
      assert.deepEqual(await exit, { code: 0, signal: null });
    } finally {
      await server.stop();
    }
  });
});
