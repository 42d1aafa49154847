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

/** The part of the pool the start-up signals act on. */
interface BootingPool {
  stop(): Promise<void>;
  workers(): Array<{ kill(signal: NodeJS.Signals): void }>;
}

/**
 * What the signals do while the workers boot: a stop signal stops them (the
 * supervisor then exits 0), a second one kills them (exit 1), and SIGHUP is
 * kept for a reload once they are all ready: the workers may have read the
 * old code before the deploy that sent it.
 */
export class BootSignals implements SignalActions {
  /** Set once the pool exists (a signal may come while the port is claimed). */
  pool?: BootingPool;
  reloadWhenReady = false;
  forced = false;

  constructor(private readonly log: { info(line: string): void; warn(line: string): void }) {}

  stop(): void {
    this.log.info("stopping during start-up: stopping the workers that are booting");
    void this.pool?.stop();
  }

  force(): void {
    this.log.warn("second signal: forcing exit");
    this.forced = true;
    for (const worker of this.pool?.workers() ?? []) worker.kill("SIGKILL");
  }

  reload(): void {
    this.reloadWhenReady = true;
    this.log.info("SIGHUP during start-up: the workers will be reloaded once they are all ready");
  }
}
