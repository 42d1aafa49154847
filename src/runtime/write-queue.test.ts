import assert from "node:assert/strict";
import { test } from "node:test";
import { WriteQueue } from "./write-queue.ts";

const decoder = new TextDecoder();

/** A socket that takes at most `room` bytes per write until given more; records what it took. */
function fakeSocket(room: number) {
  const taken: string[] = [];
  const socket = {
    room,
    closed: false,
    taken,
    write(data: string | Uint8Array): number {
      if (socket.closed) return -1;
      const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
      const count = Math.min(socket.room, bytes.byteLength);
      socket.room -= count;
      taken.push(decoder.decode(bytes.subarray(0, count)));
      return count;
    },
  };
  return socket;
}

test("a write that fits runs its callback at once and leaves nothing waiting", () => {
  const socket = fakeSocket(100);
  const queue = new WriteQueue((data) => socket.write(data));
  let done = 0;
  queue.write("hello\n", () => done++);
  assert.equal(done, 1);
  assert.equal(queue.empty, true);
  assert.deepEqual(socket.taken, ["hello\n"]);
});

test("what does not fit waits, in order, and each callback runs once its last byte is taken", () => {
  const socket = fakeSocket(4);
  const queue = new WriteQueue((data) => socket.write(data));
  const done: string[] = [];
  queue.write("first\n", () => done.push("first"));
  queue.write("second\n", () => done.push("second"));
  assert.deepEqual(done, []);
  assert.equal(queue.empty, false);
  socket.room = 3;
  assert.equal(queue.flush(), false);
  assert.deepEqual(done, ["first"]);
  socket.room = 100;
  assert.equal(queue.flush(), true);
  assert.deepEqual(done, ["first", "second"]);
  assert.equal(socket.taken.join(""), "first\nsecond\n");
});

test("a partial write of text beyond ASCII resumes at the right byte", () => {
  const socket = fakeSocket(3);
  const queue = new WriteQueue((data) => socket.write(data));
  let done = false;
  // "é" is 2 bytes: 5 characters, 6 bytes; the first write takes 3 of them.
  queue.write("aéb\u00e9\n", () => (done = true));
  assert.equal(done, false);
  socket.room = 100;
  assert.equal(queue.flush(), true);
  assert.equal(done, true);
  const bytes = Buffer.concat(socket.taken.map((part, i) => (i === 0 ? Buffer.from([0x61, 0xc3, 0xa9]) : Buffer.from(part))));
  assert.equal(bytes.toString("utf8"), "aéb\u00e9\n");
});

test("a text whose characters fit but whose bytes do not is not taken as written", () => {
  // 4 characters, 5 bytes: a socket with room for 4 takes 4, as many as the characters.
  const socket = fakeSocket(4);
  const queue = new WriteQueue((data) => socket.write(data));
  let done = false;
  queue.write("abcé", () => (done = true));
  assert.equal(done, false);
  assert.equal(queue.empty, false);
  socket.room = 100;
  assert.equal(queue.flush(), true);
  assert.equal(done, true);
});

test("a closed socket takes nothing; clear drops what waits without calling back", () => {
  const socket = fakeSocket(0);
  const queue = new WriteQueue((data) => socket.write(data));
  let done = false;
  queue.write("lost\n", () => (done = true));
  socket.closed = true;
  assert.equal(queue.flush(), false);
  queue.clear();
  assert.equal(queue.empty, true);
  assert.equal(done, false);
});
