import { resolve } from "node:path";
import type { WorkerSpec } from "../bus/protocol.ts";
import { currentEngine } from "../runtime/detect.ts";
import { canBundleWithEsbuild, needsTranspile } from "../transpile/transpile-for-node.ts";

/**
 * Node 20 cannot import TypeScript, so a Node worker bundles the app with
 * esbuild before it can serve. Done in each worker, every start paid for
 * loading esbuild and starting its service (about 100 ms), and each worker
 * kept that service alive. The supervisor bundles instead, once per start
 * and reload, and every worker imports the file it names in its spec; with
 * --watch it keeps esbuild's service warm, so a save rebuilds in a few
 * milliseconds. Workers restarted after a crash run the bundle of the last
 * start or reload, as every other worker of the pool does.
 *
 * Nothing is bundled here when esbuild cannot be loaded (from the binary,
 * Node workers bundle with the binary's Bun, a blocking call the supervisor
 * must not make), and a failed bundle is left to the workers: they fail
 * their boot with the app's error, as they always did.
 */
export async function refreshAppBundle(spec: Omit<WorkerSpec, "slot">, keepWarm: boolean): Promise<void> {
  spec.appBundle = undefined;
  if (currentEngine() !== "node" || !spec.entry || !needsTranspile(spec.entry)) return;
  if (!(await canBundleWithEsbuild())) return;
  try {
    const { nodeBundleOf } = await import("../app/load-app.ts");
    spec.appBundle = await nodeBundleOf(resolve(spec.entry), { keepWarm });
  } catch {
    // The workers bundle it themselves and report what fails.
  }
}
