import assert from "node:assert/strict";
import { get } from "node:http";
import { after, test } from "node:test";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { fixture, selectedTargets } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";

after(killAll);

interface Answer {
  status: number;
  body: { worker: number; [key: string]: unknown };
}

/**
 * GET on a new connection each time, so the kernel (or Node's cluster) may
 * hand it to either worker; tests that need both workers poll with it.
 */
function getFresh(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk));
      response.on("end", () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) });
        } catch (error) {
          reject(new Error(`${url} answered ${response.statusCode} with non-JSON: ${text}`, { cause: error }));
        }
      });
    });
    request.on("error", reject);
    // A safety net against a hang, not a performance assertion.
    request.setTimeout(30_000, () => request.destroy(new Error(`${url} did not answer within 30 s`)));
  });
}

/** Polls `path` until `accept` has taken an answer from each of workers 1 and 2. */
async function fromBothWorkers(server: LskyProcess, path: string, accept: (answer: Answer) => boolean): Promise<Map<number, Answer>> {
  const seen = new Map<number, Answer>();
  await waitFor(`answers to ${path} from workers 1 and 2`, async () => {
    const answer = await getFresh(`${server.url}${path}`);
    if (accept(answer)) seen.set(answer.body.worker, answer);
    return seen.has(1) && seen.has(2);
  });
  return seen;
}

describeTargets("message bus", (target) => {
  let server: LskyProcess;

  test("starts two workers that each know both ready ids", async () => {
    server = await startLsky(target, [fixture("bus-app.ts"), "--workers", "2", "--host", "127.0.0.1"]);
    const answers = await fromBothWorkers(server, "/whoami", (a) => a.status === 200 && String(a.body.workers) === "1,2");
    assert.deepEqual(answers.get(1)?.body.workers, [1, 2]);
    assert.deepEqual(answers.get(2)?.body.workers, [1, 2]);
  });

  test("a request to worker 1 that publishes to all is recorded by both workers", async () => {
    const nonce = `note-${Date.now()}-${Math.random()}`;
    const answer = await getFresh(`${server.url}/ask/1/announce?data=${nonce}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.reply, { announcedBy: 1 });
    const recorded = (a: Answer) => (a.body.notes as { data: unknown; from: unknown }[])
      .some((note) => note.data === nonce && note.from === 1);
    const answers = await fromBothWorkers(server, "/notes", recorded);
    assert.equal(answers.size, 2);
  });

  test("a request from one worker to the other gets the other's reply", async () => {
    for (const to of [1, 2]) {
      const across = await waitFor(`a request to worker ${to} from the other worker`, async () => {
        const answer = await getFresh(`${server.url}/ask/${to}/identify?data=hi`);
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return answer.body.worker !== to && answer;
      });
      assert.deepEqual(across.body.reply, { answeredBy: to, askedBy: across.body.worker, data: "hi" });
    }
  });

  test("the supervisor answers ping with the data it was sent", async () => {
    const answer = await getFresh(`${server.url}/ask/supervisor/ping?data=hello`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.reply, "hello");
  });

  test("failed requests reject with a coded, explicit error", async () => {
    const cases: [string, string, RegExp][] = [
      ["/ask/9/identify", "BUS_NO_WORKER", /Cannot send request "identify" to worker 9: no such worker is ready/],
      ["/ask/2/missing", "BUS_NO_HANDLER", /Worker 2 has no handler for "missing"/],
      ["/ask/2/fail", "BUS_HANDLER_FAILED", /Worker 2 failed to handle "fail": deliberate failure/],
      ["/ask/supervisor/missing", "BUS_NO_HANDLER", /The supervisor has no handler for "missing"/],
      ["/ask/2/never?timeout=300", "BUS_TIMEOUT", /Request "never" to worker 2 timed out after 300 ms/],
    ];
    for (const [path, code, message] of cases) {
      const answer = await getFresh(`${server.url}${path}`);
      assert.equal(answer.status, 502, `${path}: ${JSON.stringify(answer.body)}`);
      const error = answer.body.error as { code: string; message: string };
      assert.equal(error.code, code, path);
      assert.match(error.message, message);
    }
  });

  test("a request to a worker that dies before replying fails with BUS_WORKER_GONE", async () => {
    const seenBefore = server.output().length;
    const pending = getFresh(`${server.url}/ask/other/never?timeout=15000`);
    const [, pid] = await waitFor("the never handler's line", () =>
      server.output().slice(seenBefore).match(/never handler on pid (\d+) asked by \d/) ?? undefined);
    process.kill(Number(pid), "SIGKILL");
    const answer = await pending;
    assert.equal(answer.status, 502, JSON.stringify(answer.body));
    const error = answer.body.error as { code: string; message: string };
    assert.equal(error.code, "BUS_WORKER_GONE");
    assert.match(error.message, /Worker \d exited before replying to "never"/);
  });

  test("stops with exit code 0", async () => {
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
  });
});

for (const target of selectedTargets()) {
  test(`a Hono app reaches the bus as c.env.bus on ${target.name}`, async () => {
    const server = await startLsky(target, [fixture("bus-hono.ts"), "--workers", "1", "--host", "127.0.0.1"]);
    const answer = await getFresh(server.url);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body, { worker: 1, sameAsGlobal: true, pong: "from hono" });
    assert.deepEqual(await server.stop(), { code: 0, signal: null });
  });
}
