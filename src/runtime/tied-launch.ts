import { readFileSync } from "node:fs";
import { findOnPath } from "./launch.ts";
import { TIED_PARENT_ENV } from "./role-names.ts";


/** A command to start, with the environment to start it with. */
export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

let setprivPath: string | null | undefined;

/**
 * Wraps a launch in `setpriv --pdeathsig KILL --`, which asks the kernel to
 * kill the child the moment this process dies and then execs the command in
 * place (same pid, same descriptors). The tie is made before the child runs
 * a line of its own, so it needs no FFI in the child and no watchdog thread,
 * which costs a Node worker a V8 isolate (about 11 MB). Without a setpriv
 * that knows --pdeathsig (not Linux, util-linux before 2.33, a slim image
 * without it) the launch is returned as it was and the child ties itself.
 */
export function tiedLaunch(launch: Launch): Launch {
  const setpriv = findSetpriv();
  if (!setpriv) return launch;
  return {
    command: setpriv,
    args: ["--pdeathsig", "KILL", "--", launch.command, ...launch.args],
    env: { ...launch.env, [TIED_PARENT_ENV]: String(process.pid) },
  };
}

/** The setpriv children are started through, or undefined where none knows --pdeathsig. */
export function findSetpriv(): string | undefined {
  if (setprivPath === undefined) setprivPath = process.platform === "linux" ? (findOnPath("setpriv", ["/usr/bin", "/bin"], knowsDeathSignal) ?? null) : null;
  return setprivPath ?? undefined;
}

// getopt_long can only accept an option whose name is written in the program,
// so the name's absence means a setpriv too old to have it. Reading the file
// (about 60 KB) costs far less than running it once to ask.
function knowsDeathSignal(path: string): boolean {
  try {
    return readFileSync(path).includes("pdeathsig");
  } catch {
    return false;
  }
}
