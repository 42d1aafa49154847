import type { Logger } from "../log.ts";
import { type NotifyTransport, openNotifyTransport } from "../runtime/notify-socket.ts";

/**
 * Tells systemd (Type=notify) what the server is doing: READY=1 once every
 * worker is ready, RELOADING=1 while a reload replaces them (then READY=1
 * again), STOPPING=1 when the drain starts. A no-op unless NOTIFY_SOCKET is
 * set. Messages are sent one after another, in order; a failure is logged
 * once and never stops the server.
 */
export interface SystemdNotifier {
  ready(status: string): void;
  reloading(): void;
  stopping(): void;
  /** Resolves once every message sent so far has gone (before the process exits). */
  flush(): Promise<void>;
}

const NOOP: SystemdNotifier = { ready() {}, reloading() {}, stopping() {}, flush: async () => {} };

export function createSystemdNotifier(env: Record<string, string | undefined>, log: Logger): SystemdNotifier {
  const socketPath = env.NOTIFY_SOCKET;
  if (!socketPath) return NOOP;
  let transport: Promise<NotifyTransport> | undefined;
  let queue = Promise.resolve();
  let warned = false;
  const send = (message: (t: NotifyTransport) => string) => {
    transport ??= openNotifyTransport(socketPath);
    queue = queue.then(async () => {
      const t = await transport!;
      await t.send(message(t));
    }).catch((error: Error) => {
      if (warned) return;
      warned = true;
      log.warn(`Cannot notify systemd at NOTIFY_SOCKET "${socketPath}": ${error.message}`);
    });
  };
  return {
    ready: (status) => send(() => `READY=1\nSTATUS=${status}`),
    reloading: () => send((t) => `RELOADING=1\nMONOTONIC_USEC=${t.monotonicUsec()}\nSTATUS=Reloading workers`),
    stopping: () => send(() => "STOPPING=1\nSTATUS=Draining workers"),
    flush: () => queue,
  };
}
