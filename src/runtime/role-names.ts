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

/** True for an argument that starts lsky in one of the roles above. */
export function isRoleArg(arg: string | undefined): boolean {
  return arg === WORKER_ROLE_ARG || arg === PROCESS_ROLE_ARG;
}
