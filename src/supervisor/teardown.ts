/**
 * One step of the supervisor's shutdown. `forced`: a second stop signal
 * came, so nothing is waited for (the pool kills its workers instead of
 * draining them).
 */
export type Cleanup = (forced: boolean) => unknown;

interface Step {
  name: string;
  cleanup: Cleanup;
  state: "pending" | "running" | "done";
}

/**
 * What the supervisor set up, to be undone newest first. Each installer
 * (control socket, admin listener, watch, pool, bus, ...) adds its cleanup
 * here as it succeeds, so a stop, a forced stop and a failed start-up all
 * undo exactly what was done, by one list.
 */
export class Teardown {
  private readonly steps: Step[] = [];

  add(name: string, cleanup: Cleanup): void {
    this.steps.push({ name, cleanup, state: "pending" });
  }

  /** Runs every step not yet run, newest first, each awaited. */
  async run(): Promise<void> {
    for (const step of [...this.steps].reverse()) {
      if (step.state !== "pending") continue;
      step.state = "running";
      try {
        await step.cleanup(false);
      } finally {
        step.state = "done";
      }
    }
  }

  /**
   * Runs at once, forced and unawaited, every step not finished: those not
   * reached yet, and the one under way (the pool, draining: it now kills).
   */
  force(): void {
    for (const step of [...this.steps].reverse()) {
      if (step.state === "done") continue;
      step.state = "done";
      void step.cleanup(true);
    }
  }

  /** The names of the steps, newest first (for tests). */
  names(): string[] {
    return this.steps.map((s) => s.name).reverse();
  }
}
