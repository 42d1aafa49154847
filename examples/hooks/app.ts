// Worker hooks and the current request, in a plain fetch app:
//   lsky serve app.ts --workers 2 --request-context
// (from a folder where lsky is installed: the app imports requestContext from it).
import { requestContext, type WorkerContext } from "lsky";

// Per-worker state, filled before the worker takes traffic.
let greeting = "";

/** Called deep in the app, with no access to the request: requestContext() finds it. */
function audit(what: string): string {
  const current = requestContext();
  const line = `${current?.id ?? "-"} ${current?.remoteAddr.hostname ?? "-"} ${what}`;
  current?.store.set("audited", line);
  return line;
}

export default {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === "/audit") {
      audit("read /audit");
      return new Response(String(requestContext()?.store.get("audited")));
    }
    return new Response(greeting);
  },
  async onWorkerStart(ctx: WorkerContext) {
    greeting = `hello from worker ${ctx.workerId} (${ctx.kind})`;
    console.log(`worker ${ctx.workerId} started`);
  },
  async onWorkerStop(ctx: WorkerContext) {
    console.log(`worker ${ctx.workerId} stopping`);
  },
};
