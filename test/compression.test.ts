import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { type RawResponse, send } from "./harness/http.ts";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { BIG_TXT, createStaticSite, type StaticSite } from "./harness/static-site.ts";
import { fixture, ROOT } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const BIG_TEXT = "The quick brown fox jumps over the lazy dog. ".repeat(400);
const STREAM_TEXT = Array.from({ length: 50 }, (_, i) => `line ${i} ${"-".repeat(100)}\n`).join("");
const THRESHOLD = 1000;
// zstd's frame magic number, 0xFD2FB528 little-endian.
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

/** Node 20 cannot decode zstd; Bun's node:zlib can. */
function zstdDecode(bytes: Buffer): string {
  const script = 'const z = require("node:zlib"); process.stdout.write(z.zstdDecompressSync(require("node:fs").readFileSync(0)))';
  const result = spawnSync(join(ROOT, "node_modules", ".bin", "bun"), ["-e", script], { input: bytes, timeout: 30_000 });
  assert.equal(result.status, 0, String(result.stderr));
  return result.stdout.toString();
}

function decode(response: RawResponse): string {
  switch (response.headers["content-encoding"]) {
    case "br":
      return brotliDecompressSync(response.body).toString();
    case "gzip":
      return gunzipSync(response.body).toString();
    case undefined:
      return response.body.toString();
    default:
      throw new Error(`cannot decode ${response.headers["content-encoding"]}`);
  }
}

describeTargets("compression", (target) => {
  let site: StaticSite;
  let server: LskyProcess;
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") => send(`${server.url}${path}`, { method, headers });

  before(async () => {
    site = createStaticSite();
    server = await startLsky(target, [fixture("static-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--compress",
      "--compress-threshold", String(THRESHOLD)], { cwd: site.dir });
  });
  after(async () => {
    await server?.stop();
    site?.remove();
  });

  test("brotli and gzip round-trip byte-exactly, with Vary", async () => {
    for (const [accept, coding] of [["gzip, deflate, br", "br"], ["gzip", "gzip"], ["br;q=0.1, gzip;q=0.9", "gzip"]] as const) {
      const response = await get("/big", { "accept-encoding": accept });
      assert.equal(response.status, 200);
      assert.equal(response.headers["content-encoding"], coding, accept);
      assert.equal(response.headers.vary, "Accept-Encoding");
      assert.equal(response.headers["content-length"], undefined);
      assert.ok(response.body.length < BIG_TEXT.length / 5, `${coding}: ${response.body.length} bytes`);
      assert.equal(decode(response), BIG_TEXT);
    }
    const json = await get("/json", { "accept-encoding": "gzip" });
    assert.equal(json.headers["content-encoding"], "gzip");
    assert.equal(JSON.parse(decode(json)).items.length, 200);
  });

  test("a streamed body of unknown length is compressed as it streams", async () => {
    const response = await get("/stream", { "accept-encoding": "gzip" });
    assert.equal(response.headers["content-encoding"], "gzip");
    assert.equal(decode(response), STREAM_TEXT);
  });

  test("zstd where the engine has it (Bun, Deno; not Node 20)", async () => {
    const response = await get("/big", { "accept-encoding": "zstd" });
    if (target.engine === "node") {
      assert.equal(response.headers["content-encoding"], undefined);
      assert.equal(response.body.toString(), BIG_TEXT);
    } else {
      assert.equal(response.headers["content-encoding"], "zstd");
      assert.deepEqual(response.body.subarray(0, 4), ZSTD_MAGIC);
      assert.ok(response.body.length < BIG_TEXT.length / 5);
      assert.equal(zstdDecode(response.body), BIG_TEXT);
    }
  });

  test("the threshold: smaller bodies are sent as they are", async () => {
    const below = await get(`/sized?n=${THRESHOLD - 1}`, { "accept-encoding": "gzip" });
    assert.equal(below.headers["content-encoding"], undefined);
    assert.equal(below.body.toString(), "x".repeat(THRESHOLD - 1));
    const at = await get(`/sized?n=${THRESHOLD}`, { "accept-encoding": "gzip" });
    assert.equal(at.headers["content-encoding"], "gzip");
    assert.equal(decode(at), "x".repeat(THRESHOLD));
    assert.equal((await get("/small", { "accept-encoding": "gzip" })).headers["content-encoding"], undefined);
  });

  test("incompressible types, no-transform, HEAD and 204 are left alone", async () => {
    const png = await get("/png", { "accept-encoding": "gzip, br" });
    assert.equal(png.headers["content-encoding"], undefined);
    assert.deepEqual(png.body, Buffer.alloc(5000, 7));
    const noTransform = await get("/no-transform", { "accept-encoding": "gzip" });
    assert.equal(noTransform.headers["content-encoding"], undefined);
    assert.equal(noTransform.body.toString(), BIG_TEXT);
    const head = await get("/big", { "accept-encoding": "gzip" }, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-encoding"], undefined);
    assert.equal(head.body.length, 0);
    const noContent = await get("/no-content", { "accept-encoding": "gzip" });
    assert.equal(noContent.status, 204);
    assert.equal(noContent.headers["content-encoding"], undefined);
  });

  test("never compresses twice", async () => {
    const response = await get("/already-gzip", { "accept-encoding": "gzip, br" });
    assert.equal(response.headers["content-encoding"], "gzip");
    assert.equal(gunzipSync(response.body).toString(), BIG_TEXT);
    const precompressed = await get("/app.js", { "accept-encoding": "br" });
    assert.equal(precompressed.headers["content-encoding"], "br");
    assert.deepEqual(brotliDecompressSync(precompressed.body), site.appJs);
  });

  test("a client that accepts nothing gets identity, still with Vary", async () => {
    const response = await get("/big", { "accept-encoding": "identity" });
    assert.equal(response.headers["content-encoding"], undefined);
    assert.equal(response.headers.vary, "Accept-Encoding");
    assert.equal(response.body.toString(), BIG_TEXT);
  });

  test("static files are compressed once and kept, with an ETag per coding; ranges are not compressed", async () => {
    const whole = await get("/big.txt", { "accept-encoding": "gzip" });
    assert.equal(whole.headers["content-encoding"], "gzip");
    assert.equal(decode(whole), BIG_TXT);
    // The same bytes each time: a strong ETag of their own, apart from the file's.
    const plain = await get("/big.txt", {});
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.body.toString(), BIG_TXT);
    assert.match(whole.headers.etag ?? "", /^"[0-9a-f]+-[0-9a-f]+-gzip"$/);
    assert.equal(whole.headers.etag, `${plain.headers.etag!.slice(0, -1)}-gzip"`);
    const again = await get("/big.txt", { "accept-encoding": "gzip" });
    assert.deepEqual(again.body, whole.body);
    const unchanged = await get("/big.txt", { "accept-encoding": "gzip", "if-none-match": whole.headers.etag! });
    assert.equal(unchanged.status, 304);
    assert.equal(unchanged.headers.etag, whole.headers.etag);
    const ranged = await get("/big.txt", { "accept-encoding": "gzip", range: "bytes=5-14" });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers["content-encoding"], undefined);
    assert.equal(ranged.body.toString(), BIG_TXT.slice(5, 15));
  });
});

describeTargets("compression off", (target) => {
  test("without --compress, bodies go out as the app made them", async () => {
    const server = await startLsky(target, [fixture("static-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--static", "off"]);
    try {
      const response = await send(`${server.url}/big`, { headers: { "accept-encoding": "gzip, br" } });
      assert.equal(response.status, 200);
      assert.equal(response.headers["content-encoding"], undefined);
      assert.equal(response.body.toString(), BIG_TEXT);
    } finally {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    }
  });
});
