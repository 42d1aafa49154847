import assert from "node:assert/strict";
import { test } from "node:test";
import { portSharingNotes } from "./port-sharing.ts";

const linux = (value: string | undefined) => ({ platform: "linux" as const, migrateReq: () => value });

test("Node workers share one cluster listener: nothing to say", () => {
  assert.deepEqual(portSharingNotes(4, "node", { platform: "darwin", migrateReq: () => undefined }), []);
});

test("a shared port on a platform that does not balance it is a warning", () => {
  const notes = portSharingNotes(2, "bun", { platform: "darwin", migrateReq: () => undefined });
  assert.equal(notes.length, 1);
  assert.equal(notes[0]!.level, "warn");
  assert.match(notes[0]!.text, /^darwin does not balance a shared port .* of the 2 workers/);
  assert.deepEqual(portSharingNotes(1, "deno", { platform: "darwin", migrateReq: () => undefined }), []);
});

test("tcp_migrate_req on Linux: a note when off, silence when on", () => {
  assert.deepEqual(portSharingNotes(2, "deno", linux("1")), []);
  const [note] = portSharingNotes(2, "bun", linux("0"));
  assert.equal(note!.level, "warn");
  assert.match(note!.text, /^net\.ipv4\.tcp_migrate_req is 0: .*Fix: sysctl -w net\.ipv4\.tcp_migrate_req=1$/);
  assert.match(portSharingNotes(2, "bun", linux(undefined))[0]!.text, /is unavailable/);
});
