import assert from "node:assert/strict";
import { test } from "node:test";
import { memoryFigures } from "./memory-suite.ts";

test("memoryFigures: the main process as is, workers as a mean", () => {
  const figures = memoryFigures({ pid: 1, rssKb: 50_000, pssKb: 30_000 }, [
    { pid: 2, rssKb: 40_000, pssKb: 20_000 },
    { pid: 3, rssKb: 42_000, pssKb: 22_000 },
  ]);
  assert.deepEqual(figures, { "main.rss": 50_000, "main.pss": 30_000, workers: 2, "worker.rss": 41_000, "worker.pss": 21_000 });
  const split = memoryFigures({ pid: 1, rssKb: 3, anonKb: 1, fileKb: 2 }, [{ pid: 2, rssKb: 30, anonKb: 10, fileKb: 20 }]);
  assert.deepEqual(split, { "main.rss": 3, "main.anon": 1, "main.file": 2, workers: 1, "worker.rss": 30, "worker.anon": 10, "worker.file": 20 });
});

test("memoryFigures: a lone server has no worker figures; an unreadable PSS is left out", () => {
  assert.deepEqual(memoryFigures({ pid: 1, rssKb: 36_000 }, []), { "main.rss": 36_000, workers: 0 });
  const mixed = memoryFigures({ pid: 1, rssKb: 1 }, [{ pid: 2, rssKb: 10, pssKb: 5 }, { pid: 3, rssKb: 20 }]);
  assert.equal(mixed["worker.pss"], undefined);
  assert.equal(mixed["worker.rss"], 15);
});
