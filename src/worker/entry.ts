import { runRole } from "./role.ts";

// The entry of dist/lsky-worker.mjs: lsky's workers and custom processes
// without the commands, the supervisor and the Redis client. Node and Deno
// read a whole bundle before running it, and Deno also compiles what it may
// import: a worker started from this smaller file holds less memory.
const role = process.argv[2];
void runRole(role).then((ran) => {
  if (ran) return;
  process.stderr.write(`lsky: this file runs lsky's workers; it was started with ${role === undefined ? "no role" : `"${role}"`}: run lsky.mjs instead\n`);
  process.exit(2);
});
