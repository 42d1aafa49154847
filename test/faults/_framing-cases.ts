/**
 * Framing and smuggling cases sent on raw sockets (RFC 9112). Each names the
 * answer lsky promises on every engine: the status of the first response and
 * whether the connection is kept (a probe request sent after it is answered)
 * or closed. A case that hides a second request ("/smuggled") must never get
 * it to the app.
 */
export interface FramingCase {
  name: string;
  payload: string;
  status: number;
  conn: "kept" | "closed";
  head?: boolean;
  /** Responses the payload gets before the probe (pipelining). */
  responses?: number;
}

const H = "Host: localhost\r\n";
const SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n";

function post(headers: string, body: string): string {
  return `POST /upload HTTP/1.1\r\n${H}${headers}\r\n${body}`;
}

function chunked(body: string): string {
  return post("Transfer-Encoding: chunked\r\n", body);
}

const ok = (name: string, payload: string, extra: Partial<FramingCase> = {}): FramingCase =>
  ({ name, payload, status: 200, conn: "kept", ...extra });
const bad = (name: string, payload: string, status = 400): FramingCase =>
  ({ name, payload, status, conn: "closed" });

export const FRAMING_CASES: FramingCase[] = [
  // Well-formed requests that must work.
  ok("simple GET", `GET / HTTP/1.1\r\n${H}\r\n`),
  ok("POST with Content-Length", post("Content-Length: 5\r\n", "hello")),
  ok("POST chunked", chunked("5\r\nhello\r\n0\r\n\r\n")),
  ok("chunked with chunk-ext", chunked("5;name=value\r\nhello\r\n0\r\n\r\n")),
  ok("chunked with quoted chunk-ext", chunked('5;name="a b"\r\nhello\r\n0\r\n\r\n')),
  ok("chunked with trailer fields", chunked("5\r\nhello\r\n0\r\nX-Trailer: yes\r\n\r\n")),
  ok("chunked, upper-case hex size", chunked("A\r\n0123456789\r\n0\r\n\r\n")),
  ok("absolute-form target", `GET http://localhost/abs HTTP/1.1\r\n${H}\r\n`),
  ok("two pipelined requests", `GET /a HTTP/1.1\r\n${H}\r\nGET /b HTTP/1.1\r\n${H}\r\n`, { responses: 2 }),
  ok("field value with surrounding spaces", `GET / HTTP/1.1\r\n${H}X-Pad:   padded   \r\n\r\n`),
  ok("HEAD request", `HEAD / HTTP/1.1\r\n${H}\r\n`, { head: true }),
  ok("empty line before the request line", `\r\nGET / HTTP/1.1\r\n${H}\r\n`),
  ok("Transfer-Encoding value in upper case", post("Transfer-Encoding: CHUNKED\r\n", "5\r\nhello\r\n0\r\n\r\n")),
  { name: "Connection: close is honoured", payload: `GET / HTTP/1.1\r\n${H}Connection: close\r\n\r\n`, status: 200, conn: "closed" },
  { name: "HTTP/1.0 closes by default", payload: `GET / HTTP/1.0\r\n${H}\r\n`, status: 200, conn: "closed" },

  // Host (RFC 9112 3.2).
  bad("missing Host", "GET / HTTP/1.1\r\n\r\n"),
  bad("two Host fields", `GET / HTTP/1.1\r\n${H}Host: other\r\n\r\n`),
  bad("Host with a comma list", "GET / HTTP/1.1\r\nHost: a, b\r\n\r\n"),
  bad("two Host fields, then a pipelined request", `GET / HTTP/1.1\r\n${H}Host: other\r\n\r\n${SMUGGLED}`),
  bad("missing Host, then a pipelined request", `GET / HTTP/1.1\r\n\r\n${SMUGGLED}`),

  // Content-Length (RFC 9112 6.3).
  bad("Content-Length not a number", post("Content-Length: abc\r\n", "hello")),
  bad("Content-Length negative", post("Content-Length: -1\r\n", "hello")),
  bad("Content-Length with a plus sign", post("Content-Length: +5\r\n", "hello")),
  bad("two different Content-Length", post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!")),
  bad("Content-Length as a list", post("Content-Length: 5, 6\r\n", "hello!")),
  bad("Content-Length overflowing 64 bits", post("Content-Length: 99999999999999999999999\r\n", "hello")),
  bad("Content-Length with inner space", post("Content-Length: 1 0\r\n", "0123456789")),

  // Smuggling: CL.TE, TE.CL, TE.TE.
  bad("CL.TE: Content-Length and chunked", post("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", `0\r\n\r\n${SMUGGLED}`)),
  bad("TE.CL: chunked and short Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 3\r\n", `${(SMUGGLED.length).toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`)),
  bad("TE.TE: second Transfer-Encoding field", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: x\r\n", `0\r\n\r\n${SMUGGLED}`)),
  bad("Transfer-Encoding: xchunked", post("Transfer-Encoding: xchunked\r\n", `0\r\n\r\n${SMUGGLED}`)),
  bad("Transfer-Encoding: chunked, identity", post("Transfer-Encoding: chunked, identity\r\n", `0\r\n\r\n${SMUGGLED}`)),
  bad("Transfer-Encoding: identity", post("Transfer-Encoding: identity\r\n", `0\r\n\r\n${SMUGGLED}`)),
  bad("space before the colon in Transfer-Encoding", post("Transfer-Encoding : chunked\r\n", `0\r\n\r\n${SMUGGLED}`)),
  bad("tab before the colon in Content-Length", post("Content-Length\t: 5\r\n", "hello")),
  bad("Transfer-Encoding in an obs-fold", post("X-Foo: bar\r\n Transfer-Encoding: chunked\r\n", `0\r\n\r\n${SMUGGLED}`)),
  bad("chunked on an HTTP/1.0 request", `POST /upload HTTP/1.0\r\n${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`),
  bad("CL.TE with a vertical tab", post("Content-Length: 6\r\nTransfer-Encoding:\x0bchunked\r\n", `0\r\n\r\n${SMUGGLED}`)),

  // Chunked framing (RFC 9112 7.1).
  bad("chunk size not hex", chunked("zz\r\nhello\r\n0\r\n\r\n")),
  bad("chunk size with 0x prefix", chunked("0x5\r\nhello\r\n0\r\n\r\n")),
  bad("chunk size negative", chunked("-5\r\nhello\r\n0\r\n\r\n")),
  bad("chunk size overflowing 64 bits", chunked(`ffffffffffffffffff1\r\nhello\r\n0\r\n\r\n${SMUGGLED}`)),
  bad("chunk data longer than its size", chunked(`3\r\nhello\r\n0\r\n\r\n${SMUGGLED}`)),
  bad("chunk data not followed by CRLF", chunked("5\r\nhelloXX0\r\n\r\n")),
  bad("chunk size line ended by bare LF", chunked("5\nhello\r\n0\r\n\r\n")),
  bad("chunk-ext with a control character", chunked("5;a=\x01\r\nhello\r\n0\r\n\r\n")),
  bad("empty chunk size", chunked("\r\nhello\r\n0\r\n\r\n")),

  // Header and request line syntax (RFC 9112 2, 3, 5).
  bad("obs-fold continuation line", `GET / HTTP/1.1\r\n${H}X-Folded: a\r\n b\r\n\r\n`),
  bad("whitespace before the first field", `GET / HTTP/1.1\r\n ${H}\r\n`),
  bad("NUL in a field value", `GET / HTTP/1.1\r\n${H}X-Nul: a\x00b\r\n\r\n`),
  bad("NUL in the request target", `GET /a\x00b HTTP/1.1\r\n${H}\r\n`),
  bad("bare CR in a field value", `GET / HTTP/1.1\r\n${H}X-Cr: a\rb\r\n\r\n`),
  bad("bare LF line endings", `GET / HTTP/1.1\n${H.replace("\r\n", "\n")}\n`, 505),
  bad("field line without a colon", `GET / HTTP/1.1\r\n${H}NoColon\r\n\r\n`),
  bad("space inside a field name", `GET / HTTP/1.1\r\n${H}X Space: a\r\n\r\n`),
  bad("empty field name", `GET / HTTP/1.1\r\n${H}: empty\r\n\r\n`),
  bad("separator in a field name", `GET / HTTP/1.1\r\n${H}X(A): a\r\n\r\n`),
  bad("two spaces in the request line", `GET  / HTTP/1.1\r\n${H}\r\n`),
  bad("invalid character in the method", `G(T / HTTP/1.1\r\n${H}\r\n`),
  bad("request target not starting with /", `GET foo HTTP/1.1\r\n${H}\r\n`),
  bad("space inside the request target", `GET /a b HTTP/1.1\r\n${H}\r\n`),
  bad("HTTP/0.9 request line", "GET /\r\n\r\n", 505),
  bad("lower-case protocol name", `GET / http/1.1\r\n${H}\r\n`),
  bad("malformed version HTTP/1.1.1", `GET / HTTP/1.1.1\r\n${H}\r\n`, 505),
  bad("version HTTP/2.0 on HTTP/1 framing", `GET / HTTP/2.0\r\n${H}\r\n`, 505),
  bad("version HTTP/3.0", `GET / HTTP/3.0\r\n${H}\r\n`, 505),
];

/** Payloads that cross the limits the fault server runs with (see LIMIT_ARGS). */
export const LIMIT_ARGS = ["--max-body-size", "64kb", "--max-url-length", "2kb", "--max-header-size", "4kb", "--max-header-count", "20"];

export const LIMIT_CASES: FramingCase[] = [
  bad("URL over the limit", `GET /${"u".repeat(3000)} HTTP/1.1\r\n${H}\r\n`, 414),
  bad("URL over the limit, then a pipelined request", `GET /${"u".repeat(3000)} HTTP/1.1\r\n${H}\r\n${SMUGGLED}`, 414),
  bad("declared body over the limit, smuggled request as its body", post("Content-Length: 1000000\r\n", SMUGGLED), 413),
  bad("header section over the limit", `GET / HTTP/1.1\r\n${H}X-Big: ${"h".repeat(5000)}\r\n\r\n`, 431),
  bad("too many header fields", `GET / HTTP/1.1\r\n${H}${Array.from({ length: 25 }, (_, i) => `X-F${i}: v\r\n`).join("")}\r\n`, 431),
  // Only the head is sent: the answer must come without the body.
  bad("declared body over the limit", post("Content-Length: 1000000\r\n", ""), 413),
  bad("Expect: 100-continue with a body over the limit", post("Expect: 100-continue\r\nContent-Length: 1000000\r\n", ""), 413),
  ok("Expect: 100-continue within the limit", post("Expect: 100-continue\r\nContent-Length: 5\r\n", "hello")),
  bad("chunked body crossing the limit", chunked(`${(70_000).toString(16)}\r\n${"b".repeat(70_000)}\r\n0\r\n\r\n`), 413),
  ok("body exactly at the limit", post(`Content-Length: ${64 * 1024}\r\n`, "b".repeat(64 * 1024))),
];
