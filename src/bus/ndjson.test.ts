import assert from "node:assert/strict";
import { createServer, connect, type Socket } from "node:net";
import { EventEmitter } from "node:events";
import { describe, test } from "node:test";
import { createLineDecoder, openChannel } from "./ndjson.ts";
import { OutgoingLimit } from "./outgoing-limit.ts";

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

describe("openChannel with an outgoing limit", () => {
  /** A socket whose kernel buffer is full: write returns false and its callbacks wait for `flush`. */
  function stuckSocket() {
    const callbacks: Array<() => void> = [];
    const written: string[] = [];
    const socket = new EventEmitter() as EventEmitter & Record<string, unknown>;
    Object.assign(socket, {
      destroyed: false,
      setEncoding: () => socket,
      write: (text: string, callback?: () => void) => {
        written.push(text);
        if (callback) callbacks.push(callback);
        return false;
      },
      end: () => {},
    });
    return { socket: socket as unknown as Socket, written, flush: () => callbacks.splice(0).forEach((c) => c()) };
  }

  test("past the limit bus messages are dropped and counted, control messages still go; one report per episode", () => {
    const { socket, written, flush } = stuckSocket();
    const reports: string[] = [];
    const limit = new OutgoingLimit(100, {
      started: (queued) => reports.push(`started at ${queued}`),
      ended: (dropped) => reports.push(`ended, ${dropped} dropped`),
    });
    type Message = { type: "deliver" | "drain"; data?: string };
    const channel = openChannel<unknown, Message>(socket, () => {}, undefined, { limit, droppable: (m) => m.type === "deliver" });
    const deliver: Message = { type: "deliver", data: "x".repeat(20) };
    const size = JSON.stringify(deliver).length + 1;
    const fits = Math.floor(100 / size);
    const sent = Array.from({ length: 10 }, () => channel.send(deliver));
    assert.deepEqual(sent, [...Array(fits).fill(true), ...Array(10 - fits).fill(false)]);
    assert.equal(channel.send({ type: "drain" }), true, "control messages are never dropped");
    assert.equal(written.length, 0, "nothing is written before the turn ends");
    channel.flush();
    assert.equal(written.length, 1, "the turn's messages go out in one write");
    assert.equal(written[0]!.split("\n").length - 1, fits + 1);
    assert.equal(limit.queued(), fits * size);
    assert.deepEqual(reports, [`started at ${fits * size}`], "reported once, not per message");
    assert.equal(channel.send({ type: "deliver" }), false, "a small message that would fit waits for the peer to catch up too");
    flush();
    assert.equal(limit.queued(), 0);
    assert.deepEqual(reports, [`started at ${fits * size}`, `ended, ${11 - fits} dropped`]);
    assert.equal(channel.send(deliver), true, "it sends again once the peer caught up");
    assert.equal(limit.dropped(), 11 - fits);
  });
});

describe("openChannel's writes", () => {
  function recordingSocket() {
    const writes: string[] = [];
    const events: string[] = [];
    const socket = new EventEmitter() as EventEmitter & Record<string, unknown>;
    Object.assign(socket, {
      destroyed: false,
      setEncoding: () => socket,
      write: (text: string) => {
        writes.push(text);
        events.push("write");
        return true;
      },
      end: () => void events.push("end"),
    });
    return { socket: socket as unknown as Socket, writes, events };
  }

  test("the messages of one turn go out in one write, in order, once the turn ends", async () => {
    const { socket, writes } = recordingSocket();
    const runs: Array<() => void> = [];
    const channel = openChannel<unknown, { n: number }>(socket, () => {}, undefined, undefined, (run) => runs.push(run));
    for (let n = 1; n <= 3; n++) channel.send({ n });
    channel.sendLine('{"n":4}');
    assert.deepEqual(writes, []);
    assert.equal(runs.length, 1, "one flush is scheduled for the turn");
    runs[0]!();
    assert.deepEqual(writes, ['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
    channel.send({ n: 5 });
    assert.equal(runs.length, 2, "the next turn schedules its own");
  });

  test("by default the batch is written once the running job and its promise jobs are done", async () => {
    const { socket, writes } = recordingSocket();
    const channel = openChannel<unknown, { n: number }>(socket, () => {});
    channel.send({ n: 1 });
    channel.send({ n: 2 });
    assert.deepEqual(writes, []);
    await Promise.resolve();
    assert.deepEqual(writes, ['{"n":1}\n{"n":2}\n']);
  });

  test("close writes what waits before it ends the socket", () => {
    const { socket, events } = recordingSocket();
    const channel = openChannel<unknown, { n: number }>(socket, () => {}, undefined, undefined, () => {});
    channel.send({ n: 1 });
    channel.close();
    assert.deepEqual(events, ["write", "end"]);
  });

  test("a socket gone before the flush: nothing is written and the limit lets the bytes go", () => {
    const { socket, writes } = recordingSocket();
    const limit = new OutgoingLimit(1000, { started: () => {}, ended: () => {} });
    const runs: Array<() => void> = [];
    const channel = openChannel<unknown, { type: string }>(socket, () => {}, undefined, { limit, droppable: () => true }, (run) => runs.push(run));
    assert.equal(channel.send({ type: "deliver" }), true);
    assert.ok(limit.queued() > 0);
    (socket as unknown as { destroyed: boolean }).destroyed = true;
    runs[0]!();
    assert.deepEqual(writes, []);
    assert.equal(limit.queued(), 0);
    assert.equal(channel.send({ type: "deliver" }), false, "a closed channel takes nothing");
  });
});
