import { currentEngine } from "./detect.ts";
import { loadLibc } from "./libc.ts";

/**
 * Reaping children the engine does not know about. Node, Bun and Deno only
 * wait for the processes they spawned; as PID 1 a supervisor also inherits
 * every orphaned grandchild, whose exit leaves a zombie until someone calls
 * waitpid. Bun and Deno can call libc's waitpid (./libc.ts); Node has no
 * FFI, so there this returns undefined.
 */
export interface Reaper {
  /** waitpid(pid, WNOHANG): true when the zombie was collected. */
  reap(pid: number): boolean;
}

const WNOHANG = 1;

export async function loadReaper(): Promise<Reaper | undefined> {
  const libc = await loadLibc(currentEngine(), { waitpid: { args: ["i32", "pointer", "i32"], returns: "i32" } });
  return libc && { reap: (pid) => Number(libc.fn.waitpid(pid, null, WNOHANG)) === pid };
}
