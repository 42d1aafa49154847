import assert from "node:assert/strict";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type Answer, ask, copyApp, type Route, startDirect } from "../harness/compat-apps.ts";
import { killAll, startLsky } from "../harness/lsky.ts";
import { ROOT, selectedTargets, type Target } from "../harness/targets.ts";

after(killAll);

type Engine = "bun" | "node" | "deno";

/** An app folder under test/compat/apps, the engines it is written for, and what to ask it. */
interface CompatApp {
  name: string;
  entry: string;
  engines: Engine[];
  routes: Route[];
  /** A route whose error is logged: its stack must name the app's own file. */
  throws?: string;
}

const CONNINFO = { path: "/conninfo" };
const APPS: CompatApp[] = [
  {
    // package.json, node_modules, tsconfig.json with Hono's JSX, a file beside the module.
    name: "npm-hono",
    entry: "src/index.tsx",
    engines: ["bun", "node", "deno"],
    routes: [
      { path: "/" }, { path: "/?name=lsky" }, { path: "/about" }, { path: "/json" },
      { path: "/echo", method: "POST", body: '{"a":[1,2]}', headers: { "content-type": "application/json" } },
      { path: "/stream" }, { path: "/events" }, { path: "/cookie" }, { path: "/old" }, { path: "/old", method: "HEAD" },
      { path: "/fail" }, { path: "/missing" },
    ],
  },
  { name: "bun-helpers", entry: "index.ts", engines: ["bun"], routes: [{ path: "/" }, CONNINFO, { path: "/server" }, { path: "/here" }] },
  {
    name: "node-helpers", entry: "app.tsx", engines: ["node"], throws: "/throw",
    routes: [{ path: "/" }, CONNINFO, { path: "/page" }, { path: "/module" }, { path: "/throw" }],
  },
  { name: "deno-app", entry: "main.tsx", engines: ["deno"], routes: [{ path: "/" }, { path: "/note" }, CONNINFO] },
];

// The engines' executables for `dist/lsky --runtime X`: bun and deno come from npm.
const ENGINE_PATH = [join(ROOT, "node_modules", ".bin"), "/usr/local/bin", "/usr/bin", "/bin"].join(":");

// Where each engine listens when run directly: Bun's default is dual-stack
// "::" (a client on 127.0.0.1 is then "::ffff:127.0.0.1"); the Node and Deno
// runs are told 127.0.0.1. lsky listens the same way, so addresses match.
const DIRECT_HOST: Record<Engine, string> = { bun: "::", node: "127.0.0.1", deno: "127.0.0.1" };

/** The ways lsky serves an app on `engine`: the target running on it, and the binary handing over to it. */
function launches(engine: Engine): { target: Target; args: string[]; label: string }[] {
  return selectedTargets().flatMap((target) => {
    if (target.name === "binary") return [{ target, args: ["--runtime", engine], label: `dist/lsky --runtime ${engine}` }];
    return target.engine === engine ? [{ target, args: [], label: target.name }] : [];
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function answers(base: string, routes: Route[]): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const route of routes) out.push(await ask(base, route));
  return out;
}

for (const app of APPS) {
  for (const engine of app.engines) {
    describe(`${app.name} on ${engine}: lsky answers as ${engine} does`, () => {
      const copy = copyApp(app.name);
      let expected: Answer[];
      after(() => copy.remove());

      test(`${engine} serves it directly`, async () => {
        const direct = await startDirect(engine, copy.dir, app.entry);
        try {
          expected = await answers(direct.url, app.routes);
        } finally {
          await direct.stop();
        }
        // The app itself works before lsky is compared with it.
        assert.equal(expected[0]!.status, 200, `${app.routes[0]!.path}: ${expected[0]!.body}`);
      });

      for (const launch of launches(engine)) {
        test(`${launch.label} answers every route the same`, async () => {
          const server = await startLsky(launch.target, [app.entry, "--workers", "1", "--host", DIRECT_HOST[engine], ...launch.args], {
            cwd: copy.dir,
            env: { PATH: ENGINE_PATH },
          });
          try {
            const got = await answers(server.url, app.routes);
            const differences = app.routes.flatMap((route, i) => {
              const same = JSON.stringify(got[i]) === JSON.stringify(expected[i]);
              return same ? [] : [`${route.method ?? "GET"} ${route.path}: lsky ${JSON.stringify(got[i])}, ${engine} ${JSON.stringify(expected[i])}`];
            });
            assert.deepEqual(differences, [], server.output());
            // On Node the app runs from a bundle: its source map leads back to the file.
            if (app.throws) await server.waitForOutput(new RegExp(`${escape(join(copy.dir, app.entry))}:\\d+:\\d+`));
          } finally {
            assert.deepEqual(await server.stop(), { code: 0, signal: null });
          }
        });
      }
    });
  }
}
