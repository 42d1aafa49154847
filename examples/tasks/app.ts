// Task workers: CPU-heavy or slow work leaves the HTTP workers free.
// /fib waits for its result; /welcome queues a mail and answers at once.
import { tasks, type Env, type TaskContext } from "lsky";

function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export default {
  async fetch(request: Request, env: Env) {
    const url = new URL(request.url);
    if (url.pathname === "/fib") {
      const n = Number(url.searchParams.get("n") ?? "25");
      // env.tasks and the imported `tasks` are the same thing.
      const answer = await env.tasks.run<{ n: number; value: number; worker: number }>("fib", { n }, { timeout: "10s" });
      return Response.json(answer);
    }
    if (url.pathname === "/welcome") {
      const id = await tasks.dispatch("welcome", { to: url.searchParams.get("to") }, { delay: "1s", tries: 3 });
      return Response.json({ queued: id }, { status: 202 });
    }
    return new Response("try /fib?n=30 or /welcome?to=ada@example.com\n");
  },

  tasks: {
    fib({ n }: { n: number }, ctx: TaskContext) {
      if (!Number.isInteger(n) || n < 0 || n > 40) throw new RangeError("n must be a whole number from 0 to 40");
      return { n, value: fib(n), worker: ctx.workerId };
    },
    async welcome({ to }: { to: string }, ctx: TaskContext) {
      // A real app would call its mail service here, passing ctx.signal along.
      console.log(`welcome mail to ${to} (task ${ctx.id}, attempt ${ctx.attempt} of ${ctx.tries})`);
    },
  },
};
