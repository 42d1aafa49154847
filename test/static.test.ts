import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { type RawResponse, send, sendRawPath } from "./harness/http.ts";
import { killAll, type LskyProcess, runLsky, startLsky } from "./harness/lsky.ts";
import { createStaticSite, SECRET, type StaticSite } from "./harness/static-site.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const CACHE_RULES = "*.js=public, max-age=31536000, immutable; *.html=no-cache";

/** The app answered (not a file): the fixture echoes method and path. */
function assertFromApp(response: RawResponse, method: string, path: string): void {
  assert.equal(response.status, 200);
  assert.equal(response.body.toString(), `app ${method} ${path}`);
}

function assertLskyNotFound(response: { status: number; body?: Buffer; text?: string }): void {
  assert.equal(response.status, 404);
  const text = response.body?.toString() ?? response.text ?? "";
  assert.match(text, /Not Found/);
  assert.doesNotMatch(text, new RegExp(SECRET));
}

describeTargets("static files", (target) => {
  let site: StaticSite;
  let server: LskyProcess;
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") => send(`${server.url}${path}`, { method, headers });

  before(async () => {
    site = createStaticSite();
    // No --static: ./public in the working directory is the default.
    server = await startLsky(target, [fixture("static-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--static-cache", CACHE_RULES], { cwd: site.dir });
  });
  after(async () => {
    await server?.stop();
    site?.remove();
  });

  test("serves files with their content types", async () => {
    const expected: Record<string, string> = {
      "/index.html": "text/html; charset=utf-8",
      "/app.js": "text/javascript; charset=utf-8",
      "/style.css": "text/css; charset=utf-8",
      "/data.json": "application/json; charset=utf-8",
      "/logo.svg": "image/svg+xml; charset=utf-8",
      "/photo.png": "image/png",
      "/file.unknownext": "application/octet-stream",
      "/live.m3u8": "application/vnd.apple.mpegurl",
      "/feed.rss": "application/rss+xml; charset=utf-8",
      "/font.eot": "application/vnd.ms-fontobject",
    };
    for (const [path, type] of Object.entries(expected)) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers["content-type"], type, path);
    }
    const js = await get("/app.js");
    assert.deepEqual(js.body, site.appJs);
    assert.equal(js.headers["content-length"], String(site.appJs.length));
    assert.equal((await get("/hello%20world.txt")).body.toString(), "spaced\n");
    const empty = await get("/empty.txt");
    assert.equal(empty.status, 200);
    assert.equal(empty.body.length, 0);
  });

  test("serves index.html for / and folders, and redirects a folder without its slash", async () => {
    assert.equal((await get("/")).body.toString(), "<!doctype html><h1>home</h1>\n");
    assert.equal((await get("/docs/")).body.toString(), "<!doctype html><h1>docs</h1>\n");
    const redirect = await get("/docs?x=1");
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, "/docs/?x=1");
    // A folder without an index is the app's.
    assertFromApp(await get("/empty-dir/"), "GET", "/empty-dir/");
  });

  test("ETag and Last-Modified give 304 to If-None-Match and If-Modified-Since", async () => {
    const first = await get("/style.css");
    const etag = first.headers.etag!;
    const lastModified = first.headers["last-modified"]!;
    assert.match(etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
    assert.ok(!Number.isNaN(Date.parse(lastModified)));
    const byTag = await get("/style.css", { "if-none-match": etag });
    assert.equal(byTag.status, 304);
    assert.equal(byTag.body.length, 0);
    assert.equal(byTag.headers.etag, etag);
    assert.equal((await get("/style.css", { "if-modified-since": lastModified })).status, 304);
    assert.equal((await get("/style.css", { "if-none-match": '"stale"' })).status, 200);
    // If-None-Match wins over If-Modified-Since.
    assert.equal((await get("/style.css", { "if-none-match": '"stale"', "if-modified-since": lastModified })).status, 200);
    assert.equal((await get("/style.css", { "if-modified-since": "Thu, 01 Jan 1970 00:00:00 GMT" })).status, 200);
  });

  test("small files kept in memory are sent byte for byte, text or not", async () => {
    const files: Record<string, Buffer> = {
      "/kept-text.txt": Buffer.from("\ufeffcaf\u00e9 \u2603 \u{1f600}\n", "utf8"),
      "/kept-binary.txt": Buffer.from([0x61, 0xc3, 0x28, 0xff, 0xfe, 0x00, 0x62]),
    };
    for (const [path, bytes] of Object.entries(files)) writeFileSync(join(site.publicDir, path.slice(1)), bytes);
    // The first request reads the file and keeps it; the next ones are sent from memory.
    for (let i = 0; i < 3; i++) {
      for (const [path, bytes] of Object.entries(files)) {
        const response = await get(path);
        assert.equal(response.status, 200, path);
        assert.equal(response.headers["content-length"], String(bytes.byteLength), path);
        assert.deepEqual(response.body, bytes, path);
      }
    }
  });

  test("Range gives 206 with the exact bytes; 416 when unsatisfiable; 200 for several ranges", async () => {
    const cases: Array<[string, number, number]> = [["bytes=0-99", 0, 99], ["bytes=100000-", 100000, 199999], ["bytes=-1000", 199000, 199999], ["bytes=150000-999999", 150000, 199999]];
    for (const [range, start, end] of cases) {
      const response = await get("/data.bin", { range });
      assert.equal(response.status, 206, range);
      assert.equal(response.headers["content-range"], `bytes ${start}-${end}/200000`, range);
      assert.equal(response.headers["content-length"], String(end - start + 1), range);
      assert.deepEqual(response.body, site.dataBin.subarray(start, end + 1), range);
    }
    const unsatisfiable = await get("/data.bin", { range: "bytes=200000-" });
    assert.equal(unsatisfiable.status, 416);
    assert.equal(unsatisfiable.headers["content-range"], "bytes */200000");
    const several = await get("/data.bin", { range: "bytes=0-1,5-6" });
    assert.equal(several.status, 200);
    assert.deepEqual(several.body, site.dataBin);
    const etag = several.headers.etag!;
    assert.equal((await get("/data.bin", { range: "bytes=0-9", "if-range": etag })).status, 206);
    assert.equal((await get("/data.bin", { range: "bytes=0-9", "if-range": '"old"' })).status, 200);
  });

  test("HEAD sends the headers of GET and no body", async () => {
    const head = await get("/data.bin", {}, "HEAD");
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], "200000");
    assert.equal(head.headers["content-type"], "application/octet-stream");
    assert.equal(head.body.length, 0);
    const headRange = await get("/data.bin", { range: "bytes=10-19" }, "HEAD");
    assert.equal(headRange.status, 206);
    assert.equal(headRange.headers["content-length"], "10");
  });

  test("precompressed siblings follow Accept-Encoding, with Vary and Content-Encoding", async () => {
    const br = await get("/app.js", { "accept-encoding": "gzip, br" });
    assert.equal(br.headers["content-encoding"], "br");
    assert.equal(br.headers.vary, "Accept-Encoding");
    assert.equal(br.headers["content-type"], "text/javascript; charset=utf-8");
    assert.deepEqual(brotliDecompressSync(br.body), site.appJs);
    const gz = await get("/app.js", { "accept-encoding": "gzip" });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.deepEqual(gunzipSync(gz.body), site.appJs);
    assert.notEqual(gz.headers.etag, br.headers.etag);
    const plain = await get("/app.js", { "accept-encoding": "identity" });
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.headers.vary, "Accept-Encoding");
    assert.deepEqual(plain.body, site.appJs);
    const onlyGz = await get("/only-gz.css", { "accept-encoding": "br, gzip" });
    assert.equal(onlyGz.headers["content-encoding"], "gzip");
    // A range is of the identity file.
    const ranged = await get("/app.js", { "accept-encoding": "br", range: "bytes=0-5" });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers["content-encoding"], undefined);
    assert.deepEqual(ranged.body, site.appJs.subarray(0, 6));
  });

  test("Cache-Control follows the --static-cache patterns", async () => {
    assert.equal((await get("/app.js")).headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal((await get("/docs/")).headers["cache-control"], "no-cache");
    assert.equal((await get("/style.css")).headers["cache-control"], undefined);
  });

  test("requests that name no file fall through to the app", async () => {
    assertFromApp(await get("/no-such-file.txt"), "GET", "/no-such-file.txt");
    assertFromApp(await get("/app.js", {}, "POST"), "POST", "/app.js");
    assertFromApp(await get("/.env"), "GET", "/.env");
    assertFromApp(await get("/style.css/x"), "GET", "/style.css/x");
  });

  test("a file added after its path went to the app is served soon after (misses are remembered briefly)", async () => {
    const name = `added-${target.name}.txt`;
    assertFromApp(await get(`/${name}`), "GET", `/${name}`);
    writeFileSync(join(site.publicDir, name), "added later");
    const served = await waitFor("the new file to be served", async () => {
      const response = await get(`/${name}`);
      return response.body.toString() === "added later" ? response : undefined;
    }, 10_000, 100);
    assert.equal(served.status, 200);
    assert.equal(served.headers["content-type"], "text/plain; charset=utf-8");
  });

  test("a file kept in memory is served changed, then not at all, soon after it changes on disk", async () => {
    const name = `kept-${target.name}.txt`;
    const file = join(site.publicDir, name);
    writeFileSync(file, "first");
    await waitFor("the file to be served", async () => (await get(`/${name}`)).body.toString() === "first" || undefined, 10_000, 100);
    for (let i = 0; i < 3; i++) assert.equal((await get(`/${name}`)).body.toString(), "first");
    writeFileSync(file, "second, longer");
    const changed = await waitFor("the changed file to be served", async () => {
      const response = await get(`/${name}`);
      return response.body.toString() === "second, longer" ? response : undefined;
    }, 10_000, 100);
    assert.equal(changed.headers["content-length"], String("second, longer".length));
    unlinkSync(file);
    await waitFor("the removed file's path to reach the app", async () => {
      const response = await get(`/${name}`);
      return response.body.toString() === `app GET /${name}` || undefined;
    }, 10_000, 100);
  });

  test("symlinks inside the folder are served; symlinks pointing out get 404", async () => {
    assert.equal((await get("/link-in.html")).body.toString(), "<!doctype html><h1>home</h1>\n");
    assertLskyNotFound(await get("/link-out.txt"));
    assertLskyNotFound(await get("/dir-out/secret.txt"));
  });

  test("encoded traversal gets 404 from lsky", async () => {
    for (const path of ["/%252e%252e/outside/secret.txt", "/..%2foutside%2fsecret.txt", "/..%5coutside%5csecret.txt",
      "/%252e%252e%252foutside%252fsecret.txt", "/index.html%00.txt", "/%2e%2e%5coutside%5csecret.txt"]) {
      const response = await sendRawPath(server.port, path);
      assertLskyNotFound(response);
    }
  });

  test("raw traversal never reaches a file outside the folder", async () => {
    // Engines normalise some of these before lsky sees them (Node and Bun
    // resolve "..", Deno passes it on): the answer is then lsky's 404, the
    // engine's 400, or the app for the normalised path, never the file.
    for (const path of ["/../outside/secret.txt", "/../../../../etc/passwd", "/docs/../../outside/secret.txt",
      "/%2e%2e/outside/secret.txt", "/.%2e/%2e./outside/secret.txt", "/..\\outside\\secret.txt", "/../public-secret.txt"]) {
      const response = await sendRawPath(server.port, path);
      assert.doesNotMatch(response.text, new RegExp(SECRET), path);
      assert.doesNotMatch(response.text, /root:x:0:0/, path);
      if (response.status === 200) assert.match(response.text, /\r\n\r\napp GET \/(outside|etc|public-secret)[^.]*/, path);
      else assert.ok([400, 404].includes(response.status), `${path}: status ${response.status}`);
    }
  });
});

describeTargets("static settings", (target) => {
  let site: StaticSite;
  before(() => void (site = createStaticSite()));
  after(() => site?.remove());

  test("--static off leaves every path to the app", async () => {
    const server = await startLsky(target, [fixture("static-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--static", "off"], { cwd: site.dir });
    try {
      assertFromApp(await send(`${server.url}/index.html`), "GET", "/index.html");
    } finally {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    }
  });

  test("--static DIR serves that folder from any working directory", async () => {
    const server = await startLsky(target, [fixture("static-app.ts"), "--workers", "1", "--host", "127.0.0.1", "--static", `${site.publicDir}/docs`]);
    try {
      assert.equal((await send(`${server.url}/`)).body.toString(), "<!doctype html><h1>docs</h1>\n");
    } finally {
      assert.deepEqual(await server.stop(), { code: 0, signal: null });
    }
  });

  test("a --static folder that does not exist is a usage error (exit 2)", async () => {
    const result = await runLsky(target, ["serve", fixture("static-app.ts"), "--static", `${site.dir}/nope`]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--static/);
    assert.match(result.stderr, /expected a directory/);
  });
});
