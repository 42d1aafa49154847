// Streamed responses reach the client as they are produced: the app emits its
// second part only after the client, holding the first, opens a gate with a
// second request. An engine that buffered the response would deadlock here
// (and fail on the waitFor deadline), whatever the machine's speed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const decoder = new TextDecoder();

/** Reads from the stream until the text read so far contains `expected`. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, expected: string, soFar = ""): Promise<string> {
  let text = soFar;
  for (let reads = 0; reads < 1000 && !text.includes(expected); reads++) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>, soFar: string): Promise<string> {
  let text = soFar;
  for (let reads = 0; reads < 1000; reads++) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
  }
  throw new Error(`stream did not end; read ${JSON.stringify(text)}`);
}

describeTargets("streamed responses", (target) => {
  let server: LskyProcess;
  before(async () => {
    server = await startLsky(target, [fixture("streaming.ts"), "--workers", "1", "--host", "127.0.0.1"]);
  });
  after(async () => assert.equal((await server.stop()).code, 0));

  test("a ReadableStream body arrives chunk by chunk", async () => {
    const response = await fetch(`${server.url}/stream?id=rs-${target.name}`);
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const first = await readUntil(reader, "chunk 1;");
    assert.equal(first, "chunk 1;", "only the first chunk exists before the gate opens");
    const release = await fetch(`${server.url}/release?id=rs-${target.name}`);
    assert.equal(await release.text(), "released");
    assert.equal(await readToEnd(reader, first), "chunk 1;chunk 2;end");
  });

  test("server-sent events arrive event by event", async () => {
    const response = await fetch(`${server.url}/sse?id=sse-${target.name}`, { headers: { accept: "text/event-stream" } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
    const reader = response.body!.getReader();
    const first = await readUntil(reader, "\n\n");
    assert.equal(first, "data: one\n\n");
    await (await fetch(`${server.url}/release?id=sse-${target.name}`)).text();
    assert.equal(await readToEnd(reader, first), "data: one\n\nevent: tick\ndata: two\n\ndata: bye\n\n");
  });
});
