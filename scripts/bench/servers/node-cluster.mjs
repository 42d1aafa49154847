// Node cluster peer: a primary that forks WORKERS (default 2) workers, each
// running node-hono.mjs; Node's default round-robin scheduling shares the
// port. The primary stops its workers on SIGTERM and exits.
import cluster from "node:cluster";
import { fileURLToPath } from "node:url";

if (cluster.isPrimary) {
  const count = Number(process.env.WORKERS ?? 2);
  cluster.setupPrimary({ exec: fileURLToPath(new URL("./node-hono.mjs", import.meta.url)) });
  for (let i = 0; i < count; i++) cluster.fork();
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    cluster.disconnect(() => process.exit(0));
  });
}
