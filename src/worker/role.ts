import { PROCESS_SPEC_ENV, type ProcessRoleSpec, WORKER_SPEC_ENV, type WorkerSpec } from "../bus/protocol.ts";
import { PROCESS_ROLE_ARG, SPARE_WORKER_ENV, WORKER_ROLE_ARG } from "../runtime/role-names.ts";

/**
 * Runs lsky in a role the supervisor starts it in (`__worker`, `__process`):
 * true if `role` was one. Both lsky's command bundle and the smaller worker
 * bundle (build/build.mjs) enter here.
 */
export async function runRole(role: string | undefined): Promise<boolean> {
  if (role === WORKER_ROLE_ARG) await runWorkerRole();
  else if (role === PROCESS_ROLE_ARG) await runProcessRole();
  else return false;
  return true;
}

async function runWorkerRole(): Promise<void> {
  const { runWorker } = await import("./main.ts");
  if (process.env[SPARE_WORKER_ENV] !== "1") return runWorker(roleSpec<WorkerSpec>(WORKER_SPEC_ENV, WORKER_ROLE_ARG));
  // A spare: booted ahead of need; its spec comes once a reload takes it.
  // Meanwhile it loads what every worker loads before its app.
  const { readSpareSpec } = await import("./spare-spec.ts");
  const { loadAdapter } = await import("../runtime/load-adapter.ts");
  const [spec] = await Promise.all([readSpareSpec(), loadAdapter()]);
  if (spec === undefined) process.exit(0);
  await runWorker(JSON.parse(spec) as WorkerSpec);
}

async function runProcessRole(): Promise<void> {
  const spec = roleSpec<ProcessRoleSpec>(PROCESS_SPEC_ENV, PROCESS_ROLE_ARG);
  const { runCustomProcess } = await import("./custom-process.ts");
  await runCustomProcess(spec);
}

/** A role's instructions, which only the supervisor writes: started by hand, the role exits with 2. */
function roleSpec<T>(envName: string, role: string): T {
  const text = process.env[envName];
  if (!text) {
    process.stderr.write(`lsky: the ${role} role is started by the supervisor, not by hand\n`);
    process.exit(2);
  }
  return JSON.parse(text) as T;
}
