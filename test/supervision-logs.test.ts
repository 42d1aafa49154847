import assert from "node:assert/strict";
import { after, test } from "node:test";
import { killAll, startLsky } from "./harness/lsky.ts";
import { fixture } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

const LINES = 40;
const LENGTH = 30_000; // far beyond PIPE_BUF (4 KiB): each line arrives in several pieces

describeTargets("worker output", (target) => {
  test("long lines from two workers writing at once arrive whole, each marked with its worker", async () => {
    const server = await startLsky(target, [fixture("supervised.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    const pids = new Set<string>();
    let requests = 0;
    // Concurrent requests on separate connections until both workers answered (bounded).
    for (let round = 0; round < 20 && pids.size < 2; round++) {
      const answers = await Promise.all(Array.from({ length: 4 }, () =>
        fetch(`${server.url}/lines?n=${LINES}&len=${LENGTH}`, { headers: { connection: "close" } })));
      for (const answer of answers) {
        assert.equal(answer.status, 200);
        pids.add(answer.headers.get("x-worker-pid")!);
        await answer.text();
        requests++;
      }
    }
    assert.equal(pids.size, 2, "both workers wrote");
    const expected = requests * LINES;
    const ours = () => server.stdout().split("\n").filter((line) => line.includes(" line "));
    await waitFor(`${expected} lines`, () => ours().length >= expected);

    const workerOfPid = new Map<string, string>();
    const pattern = new RegExp(`^\\[w(\\d+)\\] line (\\d+) (\\d+) x{${LENGTH}} end$`);
    for (const line of ours()) {
      const match = pattern.exec(line);
      assert.ok(match, `a mangled line (${line.length} chars): ${line.slice(0, 80)}...${line.slice(-40)}`);
      const [, worker, pid] = match;
      // One pid always carries the same worker label.
      assert.equal(workerOfPid.get(pid!) ?? worker, worker);
      workerOfPid.set(pid!, worker!);
    }
    assert.equal(ours().length, expected);
    assert.deepEqual(new Set(workerOfPid.values()), new Set(["1", "2"]));
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
});
