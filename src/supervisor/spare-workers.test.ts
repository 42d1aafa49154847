import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import type { SpareWorkerProcess } from "../runtime/spawn-worker.ts";
import { SpareWorkers } from "./spare-workers.ts";

interface FakeSpare extends SpareWorkerProcess {
  killed?: string;
  die(): void;
}

function fakeSpare(pid: number): FakeSpare {
  let alive = true;
  const spare: FakeSpare = {
    pid,
    stdout: Readable.from([]),
    stderr: Readable.from([]),
    kill: (signal) => void (spare.killed = signal),
    onExit: () => {},
    alive: () => alive,
    start: () => {},
    die: () => void (alive = false),
  };
  return spare;
}

function sparesOf(size: number, refuseAfter = Infinity) {
  const made: FakeSpare[] = [];
  const spares = new SpareWorkers(size, () => {
    if (made.length >= refuseAfter) throw new Error("EAGAIN");
    const spare = fakeSpare(100 + made.length);
    made.push(spare);
    return spare;
  });
  return { spares, made };
}

test("fill boots up to the size; take hands them out in order, then nothing", () => {
  const { spares, made } = sparesOf(2);
  spares.fill();
  spares.fill();
  assert.equal(made.length, 2);
  assert.equal(spares.take()?.pid, 100);
  assert.equal(spares.take()?.pid, 101);
  assert.equal(spares.take(), undefined);
});

test("a spare that died is never handed out, and is replaced at the next fill", () => {
  const { spares, made } = sparesOf(2);
  spares.fill();
  made[0]!.die();
  assert.equal(spares.take()?.pid, 101);
  spares.fill();
  assert.deepEqual([spares.take()?.pid, spares.take()?.pid, spares.take()], [102, 103, undefined]);
});

test("a host that refuses a start leaves fewer spares, and no error", () => {
  const { spares } = sparesOf(3, 1);
  spares.fill();
  assert.equal(spares.take()?.pid, 100);
  assert.equal(spares.take(), undefined);
});

test("stop kills the waiting spares and boots no more", () => {
  const { spares, made } = sparesOf(2);
  spares.fill();
  spares.stop();
  assert.deepEqual(made.map((spare) => spare.killed), ["SIGTERM", "SIGTERM"]);
  spares.fill();
  assert.equal(made.length, 2);
  assert.equal(spares.take(), undefined);
});
