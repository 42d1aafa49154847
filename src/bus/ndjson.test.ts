import assert from "node:assert/strict";
import { createServer, connect, type Socket } from "node:net";
import { describe, test } from "node:test";
import { createLineDecoder, openChannel } from "./ndjson.ts";

describe("createLineDecoder", () => {
  function decoder() {
    const lines: string[] = [];
    return { lines, decode: createLineDecoder((line) => lines.push(line)) };
  }

  test("splits several lines in one chunk", () => {
    const { lines, decode } = decoder();
    decode('{"a":1}\n{"b":2}\n');
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  });

  test("a partial line waits for the rest", () => {
    const { lines, decode } = decoder();
    decode('{"a":');
    assert.deepEqual(lines, []);
    decode('1}\n{"b"');
    assert.deepEqual(lines, ['{"a":1}']);
    decode(":2}\n");
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
  });

  test("skips empty lines", () => {
    const { lines, decode } = decoder();
    decode("\n\nx\n\n");
    assert.deepEqual(lines, ["x"]);
  });

  test("a line without its newline is never emitted", () => {
    const { lines, decode } = decoder();
    decode("no newline yet");
    assert.deepEqual(lines, []);
  });
});

describe("openChannel", () => {
  test("carries messages both ways over a socket and ignores garbage", async () => {
    const received: unknown[] = [];
    let serverSide!: Socket;
    const server = createServer((socket) => (serverSide = socket));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const client = connect(port, "127.0.0.1");
    await new Promise((resolve) => client.once("connect", resolve));
    const gotAll = new Promise<void>((resolve) => {
      openChannel<unknown, unknown>(client, (message) => {
        received.push(message);
        if (received.length === 2) resolve();
      });
    });
    for (let i = 0; i < 100 && !serverSide; i++) await new Promise(setImmediate);
    serverSide.write('{"type":"one"}\nnot json\n{"type":');
    serverSide.write('"two"}\n');
    await gotAll;
    assert.deepEqual(received, [{ type: "one" }, { type: "two" }]);
    client.destroy();
    serverSide.destroy();
    server.close();
  });
});
