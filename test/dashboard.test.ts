import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Browser, chromiumAvailable, launchChromium, type Page } from "./harness/chromium.ts";
import { send } from "./harness/http.ts";
import { killAll, type LskyProcess, startLsky } from "./harness/lsky.ts";
import { freePort } from "./harness/ports.ts";
import { startRequestLoop } from "./harness/request-loop.ts";
import { openEventStream } from "./harness/sse.ts";
import { skipUnless } from "./harness/system-tools.ts";
import { fixture, FIXTURES, ROOT, selectedTargets, type Target } from "./harness/targets.ts";
import { waitFor } from "./harness/wait.ts";
import { describeTargets } from "./harness/describe-targets.ts";
import { tempDir } from "./harness/temp-dir.ts";

after(killAll);

// LSKY_UPDATE_SCREENSHOTS=1 writes the pictures docs/DASHBOARD.md shows.
const SCREENSHOTS = process.env.LSKY_UPDATE_SCREENSHOTS === "1" ? join(ROOT, "docs") : tmpdir();
const TOKEN_IN_LOG = /dashboard at http:\/\/\S+\/#token=([0-9a-f]{32}) /;

interface Server {
  lsky: LskyProcess;
  admin: string;
  token: string;
}

async function startWithDashboard(target: Target): Promise<Server> {
  const adminPort = await freePort();
  // Run from the fixtures folder so that the app shows as "echo.ts" in the screenshots.
  const lsky = await startLsky(target, ["echo.ts", "--workers", "2", "--admin", `127.0.0.1:${adminPort}`], { cwd: FIXTURES });
  const token = TOKEN_IN_LOG.exec(lsky.output())?.[1];
  assert.ok(token, `the start log shows the dashboard's address with its token:\n${lsky.output()}`);
  return { lsky, admin: `http://127.0.0.1:${adminPort}`, token };
}

interface StateJson {
  workers: Array<{ id: number; pid: number; state: string }>;
}

async function readyPids(admin: string): Promise<number[]> {
  const state = JSON.parse((await send(`${admin}/api/state`)).body.toString()) as StateJson;
  return state.workers.filter((w) => w.state === "ready").map((w) => w.pid).sort();
}

const reloads = (lsky: LskyProcess) => lsky.output().split("reloading workers").length - 1;

describeTargets("dashboard API", (target) => {
  let server: Server;

  test("the page is served on the admin listener only, with a strict content policy", async () => {
    server = await startWithDashboard(target);
    const page = await send(`${server.admin}/`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-type"]), /^text\/html/);
    assert.match(String(page.headers["content-security-policy"]), /script-src 'self'.*frame-ancestors 'none'/);
    assert.match(page.body.toString(), /<title>lsky dashboard<\/title>/);
    for (const asset of ["/dashboard.js", "/dashboard.css", "/vendor/uplot.js", "/vendor/uplot.css"]) {
      assert.equal((await send(`${server.admin}${asset}`)).status, 200, asset);
    }
    const onPublicPort = await send(`${server.lsky.url}/dashboard.js`);
    assert.match(String(onPublicPort.headers["content-type"]), /^application\/json/, "the app, not the dashboard, answers on the public port");
  });

  test("actions are refused without the token, with a wrong one, and from another origin", async () => {
    const reload = (headers: Record<string, string>, method = "POST") => send(`${server.admin}/api/reload`, { method, headers });
    const bearer = { authorization: `Bearer ${server.token}` };
    const refusals: Array<[string, Awaited<ReturnType<typeof reload>>, number]> = [
      ["no token", await reload({}), 401],
      ["wrong token", await reload({ authorization: `Bearer ${"0".repeat(32)}` }), 401],
      ["another origin", await reload({ ...bearer, origin: "http://evil.example" }), 403],
      ["a cross-site fetch", await reload({ ...bearer, "sec-fetch-site": "cross-site" }), 403],
      ["a rebound DNS name", await reload({ ...bearer, host: "evil.example" }), 403],
      ["a CORS preflight", await reload({ origin: "http://evil.example", "access-control-request-method": "POST" }, "OPTIONS"), 403],
      ["a GET", await reload(bearer, "GET"), 405],
    ];
    for (const [what, response, status] of refusals) {
      assert.equal(response.status, status, what);
      assert.equal(response.headers["access-control-allow-origin"], undefined, `${what}: no CORS header`);
    }
    const events = await send(`${server.admin}/api/events`, { headers: { "sec-fetch-site": "cross-site", "sec-fetch-mode": "cors" } });
    assert.equal(events.status, 403, "another site cannot read the event stream");
    assert.equal(reloads(server.lsky), 0, "nothing was reloaded");
  });

  test("the event stream survives a reload of the workers and reports the new pids", async () => {
    const before = await readyPids(server.admin);
    assert.equal(before.length, 2);
    const stream = await openEventStream(`${server.admin}/api/events`);
    try {
      assert.equal(stream.status, 200);
      await stream.waitForEvent("the hello event", (e) => e.event === "hello");
      const reload = await send(`${server.admin}/api/reload`, { method: "POST", headers: { authorization: `Bearer ${server.token}` } });
      assert.equal(reload.status, 200, reload.body.toString());
      assert.equal(JSON.parse(reload.body.toString()).ok, true);
      const afterReload = stream.events.length;
      const tick = await stream.waitForEvent("a tick listing two new ready workers", (e) => {
        if (e.event !== "tick") return false;
        const ready = (JSON.parse(e.data) as StateJson).workers.filter((w) => w.state === "ready");
        return ready.length === 2 && ready.every((w) => !before.includes(w.pid));
      }, afterReload);
      assert.ok(stream.events.slice(0, tick + 1).some((e) => e.event === "tick" && /"kind":"reload"/.test(e.data)), "the reload is marked");
      assert.equal(stream.ended, false, "the same stream goes on");
      assert.equal(reloads(server.lsky), 1);
    } finally {
      stream.close();
    }
  });

  test("stopping one worker replaces it", async () => {
    const before = await readyPids(server.admin);
    const stop = await send(`${server.admin}/api/workers/1/stop`, { method: "POST", headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(stop.status, 200, stop.body.toString());
    const now = await waitFor("worker 1 to be replaced", async () => {
      const pids = await readyPids(server.admin);
      return pids.length === 2 && pids.filter((p) => !before.includes(p)).length === 1 ? pids : undefined;
    });
    assert.equal(now.filter((p) => before.includes(p)).length, 1, "the other worker kept running");
    const none = await send(`${server.admin}/api/workers/9/stop`, { method: "POST", headers: { authorization: `Bearer ${server.token}` } });
    assert.equal(none.status, 409);
  });

  test("a configured token is used and never printed", async () => {
    assert.deepEqual(await server.lsky.stop(), { code: 0, signal: null });
    const adminPort = await freePort();
    const token = "configured-token-0123456789";
    const lsky = await startLsky(target, [fixture("echo.ts"), "--workers", "1", "--admin", `127.0.0.1:${adminPort}`], {
      env: { LSKY_ADMIN_TOKEN: token },
    });
    try {
      assert.doesNotMatch(lsky.output(), new RegExp(token));
      assert.match(lsky.output(), /actions need the token from --admin-token/);
      const state = (await send(`http://127.0.0.1:${adminPort}/api/state`)).body.toString();
      assert.match(state, /"key":"adminToken","value":"\(set\)","source":"env"/);
      assert.doesNotMatch(state, new RegExp(token));
      const stop = await send(`http://127.0.0.1:${adminPort}/api/workers/1/stop`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      assert.equal(stop.status, 200);
    } finally {
      assert.deepEqual(await lsky.stop(), { code: 0, signal: null });
    }
  });
});

const browserSkip = skipUnless(chromiumAvailable(), "chromium (the Debian package)");

describeTargets("dashboard in headless Chromium", { skip: browserSkip }, (target) => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let load: ReturnType<typeof startRequestLoop>;

  before(async () => {
    server = await startWithDashboard(target);
    load = startRequestLoop(async () => (await fetch(`${server.lsky.url}/load`)).ok, 2, 50_000);
    browser = await launchChromium();
  });

  after(async () => {
    await load?.stop();
    await browser?.close();
    if (server) assert.deepEqual(await server.lsky.stop(), { code: 0, signal: null });
  });

  const tablePids = async (p: Page) =>
    p.evaluate<Array<{ pid: number; state: string }>>(
      "[...document.querySelectorAll('#workers tbody tr')].map((r) => ({ pid: Number(r.dataset.pid), state: r.className }))",
    );

  test("the workers table shows both workers with their pids, and the request chart is above zero", async () => {
    page = await browser.newPage();
    await page.navigate(`${server.admin}/#token=${server.token}`);
    const pids = await readyPids(server.admin);
    await waitFor("two ready rows with the workers' pids", async () => {
      const rows = await tablePids(page);
      return rows.length === 2 && rows.every((r) => r.state === "ready") &&
        JSON.stringify(rows.map((r) => r.pid).sort()) === JSON.stringify(pids);
    });
    const last = await waitFor("requests per second above zero", async () => {
      const value = await page.evaluate<number | null>("lskyDashboard.charts.requests?.data[1].at(-1) ?? null");
      return value !== null && value > 0 ? value : undefined;
    });
    assert.ok(last > 0);
    assert.equal(await page.evaluate("location.hash"), "", "the token is taken off the address bar");
    assert.equal(await page.evaluate("document.getElementById('connection').textContent"), "live");
    // The picture in the docs shows some history; the test itself needs none.
    if (process.env.LSKY_UPDATE_SCREENSHOTS === "1") {
      await waitFor("20 s of history", () => page.evaluate<boolean>("lskyDashboard.charts.requests.data[0].length >= 20"), 60_000, 500);
    }
    await page.screenshot(join(SCREENSHOTS, "dashboard.png"));
  });

  test("after kill -9 of a worker the table shows its replacement's pid", async () => {
    const before = (await tablePids(page)).map((r) => r.pid);
    process.kill(before[0]!, "SIGKILL");
    await waitFor("the replacement in the table", async () => {
      const rows = await tablePids(page);
      return rows.length === 2 && rows.every((r) => r.state === "ready") && !rows.some((r) => r.pid === before[0]) &&
        rows.some((r) => r.pid === before[1]);
    });
    const events = await page.evaluate<string>("document.getElementById('events').textContent");
    assert.match(events, new RegExp(`pid ${before[0]}\\) crashed, SIGKILL`));
  });

  test("the Stop button replaces that worker, after a confirmation", async () => {
    const before = (await tablePids(page)).map((r) => r.pid);
    await page.evaluate(`(async () => {
        lskyDashboard.lastAction = null;
        document.querySelector('#workers tr[data-pid="${before[1]}"] button').click();
        if (!document.getElementById("confirm").open) throw new Error("no confirmation asked");
        document.getElementById("confirm-ok").click();
      })()`);
    const action = await waitFor("the stop to finish", async () => (await page.evaluate<{ status: number } | null>("lskyDashboard.lastAction")) ?? undefined, 60_000);
    assert.equal(action.status, 200);
    await waitFor("the replacement in the table", async () => {
      const rows = await tablePids(page);
      return rows.length === 2 && rows.every((r) => r.state === "ready") && !rows.some((r) => r.pid === before[1]) &&
        rows.some((r) => r.pid === before[0]);
    });
    await page.evaluate("lskyDashboard.lastAction = null");
  });

  test("the reload action is refused with a wrong token", async () => {
    const other = await browser.newPage();
    await other.navigate(`${server.admin}/`);
    await other.evaluate(`(async () => {
        document.getElementById("reload").click();
        document.getElementById("token").value = "not-the-token-at-all";
        document.getElementById("confirm-ok").click();
      })()`);
    const action = await waitFor("the refused action", async () => (await other.evaluate<{ status: number } | null>("lskyDashboard.lastAction")) ?? undefined);
    assert.equal(action.status, 401);
    assert.equal(await other.evaluate("document.getElementById('confirm').open"), true, "the dialog stays open and asks again");
    assert.match(await other.evaluate<string>("document.getElementById('confirm-error').textContent"), /Wrong token/);
    assert.equal(reloads(server.lsky), 0);
    assert.deepEqual(other.errors.filter((e) => !/401/.test(e)), [], "no JavaScript error (the refused fetch's 401 is logged by the browser)");
  });

  test("the reload action with the token reloads every worker", async () => {
    const before = (await tablePids(page)).map((r) => r.pid);
    await page.evaluate(`(async () => {
        document.getElementById("reload").click();
        if (!document.getElementById("confirm").open) throw new Error("no confirmation asked");
        document.getElementById("confirm-ok").click();
      })()`);
    const action = await waitFor("the reload to finish", async () => (await page.evaluate<{ status: number } | null>("lskyDashboard.lastAction")) ?? undefined, 60_000);
    assert.equal(action.status, 200);
    assert.equal(reloads(server.lsky), 1);
    await waitFor("two new ready workers in the table", async () => {
      const rows = await tablePids(page);
      return rows.length === 2 && rows.every((r) => r.state === "ready" && !before.includes(r.pid));
    });
    await waitFor("the reload marked in the events", async () => /reload/.test(await page.evaluate<string>("document.getElementById('events').textContent")));
    await page.screenshot(join(SCREENSHOTS, "dashboard-reload.png"));
    assert.deepEqual(page.errors, [], "no JavaScript error in the page");
    // Not asserted: failures. The kill -9 above resets the requests the killed worker held.
    assert.ok(load.ok > 0, "the load reached the workers");
  });
});

// What sits beside the HTTP workers is drawn by the supervisor's code alone,
// the same whatever engine runs the workers: one target is enough (the
// binary, what most users run, when it is selected).
const besideTarget = selectedTargets().find((t) => t.name === "binary") ?? selectedTargets()[0]!;

describe(`dashboard beside the HTTP workers in headless Chromium on ${besideTarget.name}`, { skip: browserSkip }, () => {
  test("task workers, the task queue, the tables and the cache each get a block; unused facilities none", async () => {
    const adminPort = await freePort();
    // The entry named relative to the folder, so that the page (and the docs' picture) shows "app.ts".
    const args = ["app.ts", "--workers", "1", "--task-workers", "2", "--admin", `127.0.0.1:${adminPort}`];
    const lsky = await startLsky(besideTarget, args, { cwd: join(FIXTURES, "tables") });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.navigate(`http://127.0.0.1:${adminPort}/`);
      const taskRows = "[...document.querySelectorAll('[data-block=\"pool:task\"] tbody tr')].map((r) => r.className)";
      await waitFor("two ready task workers", async () => JSON.stringify(await page.evaluate<string[]>(taskRows)) === JSON.stringify(["ready", "ready"]));
      const blocks = await page.evaluate<string[]>("[...document.querySelectorAll('#beside > div')].map((b) => b.dataset.block)");
      assert.deepEqual(blocks, ["pool:task", "tasks", "tables"], "no block for WebSockets, the schedule, listeners or the cluster, none of which this app uses");
      const tables = await page.evaluate<string[]>("[...document.querySelectorAll('[data-block=\"tables\"] tbody tr td:first-child')].map((c) => c.textContent)");
      assert.deepEqual(tables, ["stats", "counters", "pool", "rows"]);
      assert.equal(await page.evaluate("document.getElementById('panel-beside').hidden"), false);
      // A few seconds of history: with one sample the charts' time axis spans years.
      await waitFor("3 s of history", () => page.evaluate<boolean>("lskyDashboard.charts.requests.data[0].length >= 3"));
      await page.screenshot(join(SCREENSHOTS, "dashboard-beside.png"));
      assert.deepEqual(page.errors, [], "no JavaScript error in the page");
    } finally {
      await browser.close();
      assert.deepEqual(await lsky.stop(), { code: 0, signal: null });
    }
  });

  test("a command process, the schedule and a TCP listener each get a block", async () => {
    const dir = tempDir("lsky-dashboard-beside-");
    writeFileSync(join(dir, "lsky.config.mjs"), `export default ${JSON.stringify({
      entry: fixture("schedule-app.ts"),
      processes: { sleeper: { command: ["sleep", "600"] } },
      listeners: [{ protocol: "tcp", port: await freePort(), module: join(ROOT, "examples", "listeners", "echo-tcp.ts") }],
    })};\n`);
    const adminPort = await freePort();
    const lsky = await startLsky(besideTarget, ["--workers", "1", "--admin", `127.0.0.1:${adminPort}`], { cwd: dir, env: { SCHEDULE_JOBS: "second" } });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.navigate(`http://127.0.0.1:${adminPort}/`);
      const blocks = () => page.evaluate<string[]>("[...document.querySelectorAll('#beside > div')].map((b) => b.dataset.block)");
      await waitFor("the process, the schedule and the listener", async () => JSON.stringify(await blocks()) === JSON.stringify(["pool:process:sleeper", "schedule", "listeners"]));
      const cells = (block: string) => page.evaluate<string[]>(`[...document.querySelectorAll('[data-block="${block}"] tbody td')].map((c) => c.textContent)`);
      await waitFor("the sleeper ready", async () => (await cells("pool:process:sleeper"))[2] === "ready");
      await waitFor("the job's first run", async () => (await cells("schedule"))[4] === "ok");
      const job = await cells("schedule");
      assert.equal(job[0], "second");
      assert.equal((await cells("listeners"))[0], "tcp");
      assert.equal(await page.evaluate("document.querySelector('[data-block=\"pool:process:sleeper\"] h3').textContent"), "Process sleeper");
      assert.deepEqual(page.errors, [], "no JavaScript error in the page");
    } finally {
      await browser.close();
      assert.deepEqual(await lsky.stop(), { code: 0, signal: null });
    }
  });
});
