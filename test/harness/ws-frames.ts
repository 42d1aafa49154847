import type { RawWebSocket } from "./ws-client.ts";

/**
 * RFC 6455 cases of the tests' own (Autobahn cannot be installed here), run
 * against the ws-app fixture, whose `echo:` command sends the rest back.
 * Each case sends raw frames and reads back what the server did, as one
 * string: "text …", "binary …" (hex), "pong …", "close CODE".
 */
export interface FrameCase {
  name: string;
  run(ws: RawWebSocket): Promise<string>;
  /** What RFC 6455 asks for. */
  expected: string;
}

const text = (value: string) => Buffer.from(value);
const TEXT = 0x1;
const BINARY = 0x2;
const CONTINUATION = 0x0;
const CLOSE = 0x8;
const PING = 0x9;

/** What came back first: a data message, or the close (code 1006 when the connection just ended). */
export async function firstAnswer(ws: RawWebSocket): Promise<string> {
  return Promise.race([
    ws.closed.then((close) => `close ${close.code}`),
    ws.next().then(
      (message) => (message.text !== undefined ? `text ${message.text}` : `binary ${Buffer.from(message.binary!).toString("hex")}`),
      () => ws.closed.then((close) => `close ${close.code}`),
    ),
  ]);
}

const sent = (ws: RawWebSocket, act: () => void) => (act(), firstAnswer(ws));

function closePayload(code: number, reason: string): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return payload;
}

export const FRAME_CASES: FrameCase[] = [
  { name: "a text message", expected: "text héllo", run: (ws) => sent(ws, () => ws.sendText("echo:héllo")) },
  { name: "a binary message", expected: "binary 0001ff", run: (ws) => sent(ws, () => ws.sendBinary(new Uint8Array([0, 1, 255]))) },
  {
    name: "a text message in three fragments (continuation frames) arrives whole",
    expected: "text fragmented whole",
    run: (ws) => sent(ws, () => {
      ws.sendFrame(TEXT, text("echo:frag"), { fin: false });
      ws.sendFrame(CONTINUATION, text("mented "), { fin: false });
      ws.sendFrame(CONTINUATION, text("whole"));
    }),
  },
  {
    name: "a fragment boundary inside a multi-byte character is fine (UTF-8 is checked on the whole message)",
    expected: "text é",
    run: (ws) => sent(ws, () => {
      const bytes = text("echo:é");
      ws.sendFrame(TEXT, bytes.subarray(0, bytes.length - 1), { fin: false });
      ws.sendFrame(CONTINUATION, bytes.subarray(bytes.length - 1));
    }),
  },
  {
    name: "a binary message in two fragments arrives whole",
    expected: "binary 01020304",
    run: (ws) => sent(ws, () => {
      ws.sendFrame(BINARY, new Uint8Array([1, 2]), { fin: false });
      ws.sendFrame(CONTINUATION, new Uint8Array([3, 4]));
    }),
  },
  {
    name: "a ping between the fragments of a message is answered, and the message arrives whole",
    expected: "pong inside; text fragmented",
    run: async (ws) => {
      ws.sendFrame(TEXT, text("echo:frag"), { fin: false });
      ws.sendFrame(PING, text("inside"));
      ws.sendFrame(CONTINUATION, text("mented"));
      const [pong, message] = await Promise.all([ws.nextPong(), firstAnswer(ws)]);
      return `pong ${pong.toString()}; ${message}`;
    },
  },
  {
    name: "a ping gets a pong with the same payload",
    expected: "pong lsky-ping-42",
    run: async (ws) => (ws.sendFrame(PING, text("lsky-ping-42")), `pong ${(await ws.nextPong()).toString()}`),
  },
  {
    name: "a client close gets the server's close frame with the same code",
    expected: "close 1000",
    run: (ws) => sent(ws, () => ws.sendFrame(CLOSE, closePayload(1000, "bye"))),
  },
  {
    name: "a client close with an application code (4000) is echoed",
    expected: "close 4000",
    run: (ws) => sent(ws, () => ws.sendFrame(CLOSE, closePayload(4000, "app"))),
  },
  { name: "an unmasked client frame closes with 1002", expected: "close 1002", run: (ws) => sent(ws, () => ws.sendFrame(TEXT, text("echo:x"), { masked: false })) },
  { name: "a frame with a reserved bit set closes with 1002", expected: "close 1002", run: (ws) => sent(ws, () => ws.sendFrame(0x40 | TEXT, text("echo:x"))) },
  { name: "an unknown opcode (3) closes with 1002", expected: "close 1002", run: (ws) => sent(ws, () => ws.sendFrame(0x3, text("echo:x"))) },
  { name: "a continuation frame with no message to continue closes with 1002", expected: "close 1002", run: (ws) => sent(ws, () => ws.sendFrame(CONTINUATION, text("echo:x"))) },
  {
    name: "a new message before the last one's final fragment closes with 1002",
    expected: "close 1002",
    run: (ws) => sent(ws, () => {
      ws.sendFrame(TEXT, text("echo:a"), { fin: false });
      ws.sendFrame(TEXT, text("echo:b"));
    }),
  },
  { name: "a fragmented ping closes with 1002", expected: "close 1002", run: (ws) => sent(ws, () => ws.sendFrame(PING, text("x"), { fin: false })) },
  { name: "a ping with more than 125 bytes closes with 1002", expected: "close 1002", run: (ws) => sent(ws, () => ws.sendFrame(PING, Buffer.alloc(126, 0x61))) },
  { name: "invalid UTF-8 in a text message closes with 1007", expected: "close 1007", run: (ws) => sent(ws, () => ws.sendFrame(TEXT, Buffer.from([0x65, 0x63, 0xff, 0xfe]))) },
  {
    name: "invalid UTF-8 across fragments closes with 1007",
    expected: "close 1007",
    run: (ws) => sent(ws, () => {
      ws.sendFrame(TEXT, text("echo:"), { fin: false });
      ws.sendFrame(CONTINUATION, Buffer.from([0xc3, 0x28]));
    }),
  },
  { name: "a message above the limit (4 KiB here) closes with 1009", expected: "close 1009", run: (ws) => sent(ws, () => ws.sendText(`echo:${"x".repeat(5000)}`)) },
];
