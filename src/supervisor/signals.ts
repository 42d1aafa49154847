/** What SIGTERM/SIGINT (stop, then force on a second one) and SIGHUP (reload) do. */
export interface SignalActions {
  stop(): void;
  force(): void;
  reload(): void;
}

export interface SignalRouter {
  /** Switches what the signals do, as the supervisor moves from start-up to serving. */
  use(actions: SignalActions): void;
  /** A stop signal has arrived. */
  readonly stopped: boolean;
}

/**
 * Installs the supervisor's signal handlers once, before anything is started:
 * a signal that arrives while the workers boot must not kill the supervisor
 * by its default action (leaving its sockets and booting workers behind) nor,
 * as PID 1, be dropped by the kernel, which ignores unhandled signals there.
 * A second stop signal, at any phase, forces.
 */
export function installSignals(initial: SignalActions): SignalRouter {
  let actions = initial;
  let signalled = false;
  const onStopSignal = () => {
    if (signalled) return actions.force();
    signalled = true;
    actions.stop();
  };
  process.on("SIGTERM", onStopSignal);
  process.on("SIGINT", onStopSignal);
  process.on("SIGHUP", () => actions.reload());
  return {
    use: (next) => void (actions = next),
    get stopped() {
      return signalled;
    },
  };
}
