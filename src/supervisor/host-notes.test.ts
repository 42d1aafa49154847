import assert from "node:assert/strict";
import { test } from "node:test";
import { hostNotes, hostNotesLine } from "./host-notes.ts";

const settings = { workers: 2, headerTimeout: 10_000, denoServer: "node" as const, tlsCert: "", listen: "" };
const linux = (value: string) => ({ platform: "linux" as const, migrateReq: () => value });

test("bun on a default Linux host: one short line naming both notes and lsky doctor", () => {
  const notes = hostNotes({ settings, engine: "bun", socketsOnly: false, facts: linux("0") });
  assert.deepEqual(notes.map((n) => n.summary), ["net.ipv4.tcp_migrate_req is 0", "bun cannot keep every limit"]);
  assert.match(notes[0]!.text, /Fix: sysctl -w net\.ipv4\.tcp_migrate_req=1$/);
  assert.match(notes[1]!.text, /header timeout \(10000 ms\) cannot be applied/);
  const line = hostNotesLine(notes)!;
  assert.equal(line, 'net.ipv4.tcp_migrate_req is 0; bun cannot keep every limit (run "lsky doctor" for the details and fixes)');
  assert.ok(line.length < 120, `short: ${line.length} characters`);
});

test("node with tcp_migrate_req on has nothing to say; Unix sockets skip the port notes", () => {
  assert.equal(hostNotesLine(hostNotes({ settings, engine: "node", socketsOnly: false, facts: linux("1") })), undefined);
  const deno = hostNotes({ settings, engine: "deno", socketsOnly: true, facts: linux("0") });
  assert.deepEqual(deno.map((n) => n.summary), ["deno cannot keep every limit"]);
});

test("deno on Deno.serve (the default) names the missing timeouts in the start-up line", () => {
  const notes = hostNotes({ settings: { ...settings, denoServer: "native" }, engine: "deno", socketsOnly: true, facts: linux("1") });
  const line = hostNotesLine(notes)!;
  assert.equal(line, "deno (Deno.serve) has no header or keep-alive timeout, and reloads reset some new connections, " +
    'deno cannot keep every limit (run "lsky doctor" for the details and fixes)');
});
