/**
 * The first argument the supervisor starts lsky's own child processes with.
 * A module of its own, importing nothing, so that the binary's entry can
 * tell a worker's start from a command's before it loads either.
 */
export const WORKER_ROLE_ARG = "__worker";
/** The role of a custom module process (docs/PROCESSES.md). */
export const PROCESS_ROLE_ARG = "__process";

/** Set in a spare worker's environment: it reads its spec from stdin (worker/spare-spec.ts). */
export const SPARE_WORKER_ENV = "LSKY_SPARE_WORKER";

/**
 * Set in an HTTP worker's environment to the descriptor of a pipe of its own
 * for access-log lines (worker/access-log-pipe.ts): the worker writes them
 * already labelled, and the supervisor passes them on without splitting them.
 */
export const ACCESS_LOG_FD_ENV = "LSKY_ACCESS_LOG_FD";
/** The descriptor the pipe is on: the first after stdin, stdout and stderr. */
export const ACCESS_LOG_FD = 3;

/**
 * Set in a child's environment when it was started through `setpriv
 * --pdeathsig KILL`: the pid of the parent it is tied to. The child checks
 * that this parent is still its own (parent-death.ts): one that died before
 * setpriv made the tie fires no signal.
 */
export const TIED_PARENT_ENV = "LSKY_TIED_PARENT";

/** True for an argument that starts lsky in one of the roles above. */
export function isRoleArg(arg: string | undefined): boolean {
  return arg === WORKER_ROLE_ARG || arg === PROCESS_ROLE_ARG;
}
