import type { FetchApp } from "./contract.ts";

/**
 * The app built into an executable made by `lsky compile`. Its generated entry
 * registers the app before lsky's CLI runs, and then serving with no entry
 * serves it instead of the welcome app.
 */
let embedded: { app: FetchApp; label: string } | undefined;

export function setEmbeddedApp(app: unknown, label: string): void {
  embedded = { app: app as FetchApp, label };
}

export function embeddedApp(): { app: FetchApp; label: string } | undefined {
  return embedded;
}
