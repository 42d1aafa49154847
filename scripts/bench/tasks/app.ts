// The app the "tasks" suite serves with `--workers 1 --task-workers 2`.
// GET /?kind=rtt&n=N: N tasks.run of an empty handler one after another;
// GET /?kind=rate&n=N&c=C: N of them with C in flight. GET /instance names the worker.
import { roundTrips, throughput } from "./measure.ts";

interface Tasks {
  run(name: string, payload?: unknown): Promise<unknown>;
}

const tasks = () => (globalThis as unknown as { lsky: { tasks: Tasks } }).lsky.tasks;

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/instance") return new Response(`${process.pid}`);
    const n = Number(url.searchParams.get("n") ?? 1000);
    const runOne = (i: number) => tasks().run("noop", i);
    switch (url.searchParams.get("kind")) {
      case "rtt":
        return Response.json(await roundTrips(runOne, n));
      case "rate":
        return Response.json(await throughput(runOne, n, Number(url.searchParams.get("c") ?? 64)));
      default:
        return new Response("kind must be rtt or rate", { status: 400 });
    }
  },
  tasks: {
    noop: () => undefined,
  },
};
