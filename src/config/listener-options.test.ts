import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { checkListeners, formatListenerList, listenersFromFile, parseListenerList, rebaseListenerModules } from "./listener-options.ts";
import { validateFileValues } from "./file-values.ts";
import { resolveSettings } from "./resolve.ts";

const context = { currentEngine: "node" as const };

test("listener limits have their documented defaults; no listeners unless declared", () => {
  const { settings } = resolveSettings({ flags: {}, env: {}, context });
  assert.deepEqual(settings.listeners, []);
  assert.equal(settings.listenerMaxConnections, 10_000);
  assert.equal(settings.listenerIdleTimeout, 300_000);
  assert.equal(settings.listenerOutputBuffer, 4 * 1024 * 1024);
});

test("the text form names protocol, optional host, port and module (relative to the working directory)", () => {
  assert.deepEqual(parseListenerList("tcp:7000=./echo.ts, udp:127.0.0.1:7001=/abs/udp.ts"), [
    { protocol: "tcp", port: 7000, module: resolve("echo.ts") },
    { protocol: "udp", port: 7001, module: "/abs/udp.ts", host: "127.0.0.1" },
  ]);
  assert.deepEqual(parseListenerList("tcp:[::1]:7000=/a.ts")[0]!.host, "::1");
});

test("bad entries are refused with the reason", () => {
  assert.throws(() => parseListenerList("sctp:7000=./x.ts"), /expected entries such as tcp:7000=/);
  assert.throws(() => parseListenerList("tcp:70000=./x.ts"), /port from 1 to 65535/);
  assert.throws(() => parseListenerList("tcp:7000=/a.ts,tcp:7000=/b.ts"), /one listener per port/);
  // The same port number for TCP and UDP is two sockets, allowed.
  assert.equal(parseListenerList("tcp:7000=/a.ts,udp:7000=/b.ts").length, 2);
  assert.throws(() => listenersFromFile([{ port: 7000, protocol: "tcp" }]), /module path/);
  assert.throws(() => listenersFromFile({ port: 7000 }), /array/);
});

test("a config file's modules are relative to the file, and a bad entry fails with the key named", () => {
  const raw = rebaseListenerModules({ listeners: [{ port: 7000, protocol: "tcp", module: "./echo.ts" }] }, "/srv/app");
  const { settings } = validateFileValues(raw, "lsky.config.ts");
  assert.deepEqual(settings.listeners, [{ port: 7000, protocol: "tcp", module: "/srv/app/echo.ts" }]);
  assert.throws(() => validateFileValues({ listeners: [{ port: 7000, protocol: "quic", module: "x.ts" }] }, "lsky.config.ts"),
    /Invalid value an array for "listeners" in lsky\.config\.ts: expected protocol "tcp" or "udp" for port 7000/);
});

test("lsky config prints the list in the form the flag takes", () => {
  const text = "tcp:7000=/srv/echo.ts,udp:[::1]:7001=/srv/udp.ts";
  assert.equal(formatListenerList(parseListenerList(text)), text);
  assert.equal(formatListenerList([]), "none");
});

test("a TCP listener on the HTTP port, or a missing module, is refused before any worker starts", () => {
  const here = new URL(import.meta.url).pathname;
  const base = { port: 8000, httpRedirect: 0, listen: "" };
  assert.throws(() => checkListeners({ ...base, listeners: [{ protocol: "tcp", port: 8000, module: here }] }), /the HTTP server listens on it/);
  // UDP on the HTTP port number is another socket; on a Unix socket the port is unused.
  checkListeners({ ...base, listeners: [{ protocol: "udp", port: 8000, module: here }] });
  checkListeners({ ...base, listen: "unix:/tmp/x.sock", listeners: [{ protocol: "tcp", port: 8000, module: here }] });
  assert.throws(() => checkListeners({ ...base, listeners: [{ protocol: "tcp", port: 7000, module: "/no/such.ts" }] }), /no such module/);
});
