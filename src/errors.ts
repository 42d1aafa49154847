/**
 * The one error class for domain failures. Each failure has a registered code,
 * and each code maps to the process exit status the CLI uses when the failure
 * reaches the top level: 1 for a failure, 2 for a usage error, 3 for "no server".
 *
 * @example
 * throw new LskyError("PORT_IN_USE", `Cannot listen on port ${port}: it is already in use`, { hint: "Choose another with --port" });
 */
export const ERROR_CODES = {
  USAGE: 2,
  INVALID_CONFIG: 2,
  APP_NO_FETCH: 2,
  APP_NOT_FOUND: 2,
  APP_LOAD_FAILED: 1,
  // onWorkerStart threw, or a hook is not a function (docs/HOOKS.md).
  APP_HOOK_FAILED: 1,
  // requestContext() called in a server started without --request-context.
  REQUEST_CONTEXT_OFF: 1,
  CONFIG_LOAD_FAILED: 1,
  PORT_IN_USE: 1,
  LISTEN_FAILED: 1,
  ENGINE_MISSING: 1,
  ENGINE_UNSUPPORTED: 1,
  WORKER_BOOT_FAILED: 1,
  // Message bus failures, thrown to the app by bus.request (docs/BUS.md).
  BUS_NO_WORKER: 1,
  BUS_WORKER_GONE: 1,
  BUS_TIMEOUT: 1,
  BUS_NO_HANDLER: 1,
  BUS_HANDLER_FAILED: 1,
  BUS_DISCONNECTED: 1,
  BUS_QUEUE_FULL: 1,
  // sockets.send/close to a WebSocket that is closed or unknown (docs/WEBSOCKET.md).
  WS_GONE: 1,
  // The shared tables and cache (docs/TABLES.md): a table not declared in the
  // config, a full table, a value a column cannot hold; a cache value over the
  // cache's bound, an incr of a cached value that is not a number.
  TABLE_UNKNOWN: 1,
  TABLE_FULL: 1,
  TABLE_VALUE: 1,
  CACHE_TOO_LARGE: 1,
  CACHE_VALUE: 1,
  // The app's `schedule` export is malformed (docs/SCHEDULE.md): a boot failure.
  INVALID_SCHEDULE: 2,
  // tasks.run/dispatch (docs/TASKS.md): no such handler, queue full, past its
  // timeout, the handler threw (its error is the cause), no task workers, a
  // payload or result that is not JSON or is too large.
  TASK_UNKNOWN: 1,
  TASK_QUEUE_FULL: 1,
  TASK_TIMEOUT: 1,
  TASK_FAILED: 1,
  TASK_NO_WORKERS: 1,
  TASK_INVALID: 1,
  // A durable dispatch (docs/TASKS.md, "Durable tasks") on a server with no
  // --cluster-redis; one while the cluster's Redis is unreachable.
  TASK_NOT_DURABLE: 1,
  TASK_CLUSTER_DOWN: 1,
  WORKER_CRASH_LOOP: 1,
  // The pool tried a lifecycle transition its table forbids: a bug (src/supervisor/lifecycle.ts).
  LIFECYCLE_TRANSITION: 1,
  BUILD_FAILED: 1,
  NO_SERVER: 3,
  CONTROL_FAILED: 1,
  // A runtime or cache directory another user could write in (src/private-dir.ts).
  UNSAFE_DIRECTORY: 1,
  // Another live server answers the control socket of this directory or port.
  SERVER_RUNNING: 1,
  // A module in `listeners` lacks its handler (docs/LISTENERS.md): a boot failure.
  LISTENER_INVALID: 2,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface LskyErrorOptions {
  /** One line that tells the user what to do next. */
  hint?: string;
  cause?: unknown;
}

export class LskyError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: LskyErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "LskyError";
    this.code = code;
    this.hint = options.hint;
  }

  /** The process exit status for this failure. */
  get exitCode(): number {
    return ERROR_CODES[this.code];
  }
}

export function isLskyError(value: unknown): value is LskyError {
  return value instanceof LskyError;
}
