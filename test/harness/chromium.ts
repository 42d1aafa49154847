import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";

/**
 * Headless Chromium (the Debian package `chromium`) driven over the Chrome
 * DevTools Protocol. The protocol runs over `--remote-debugging-pipe` (JSON
 * messages ending in NUL on file descriptors 3 and 4), so the test needs no
 * WebSocket client, which Node 20 lacks without a flag, and no npm package.
 */
export interface Page {
  /** Evaluates an expression in the page (awaiting a promise) and returns its value. */
  evaluate<T>(expression: string): Promise<T>;
  navigate(url: string): Promise<void>;
  /** Saves a PNG of the viewport. */
  screenshot(path: string): Promise<void>;
  /** Uncaught exceptions, console errors and failed loads, as text. */
  readonly errors: string[];
}

export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export function chromiumAvailable(): boolean {
  return spawnSync("chromium", ["--version"], { stdio: "ignore" }).status === 0;
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

export async function launchChromium(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "lsky-chromium-"));
  const child = spawn("chromium", [
    "--headless", "--remote-debugging-pipe", `--user-data-dir=${profile}`,
    // Root in a container: no user namespace sandbox, a small /dev/shm, no GPU.
    "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
    `--window-size=${viewport.width},${viewport.height}`, "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe", "pipe", "pipe"], detached: true });
  const cdp = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await cdp.send("Browser.getVersion", {}, undefined, 30_000);
  } catch (error) {
    killGroup(child);
    throw new Error(`chromium did not answer: ${(error as Error).message}\n${stderr}`);
  }
  return {
    newPage: () => openPage(cdp, viewport),
    close: async () => {
      await cdp.send("Browser.close", {}).catch(() => {});
      const timer = setTimeout(() => killGroup(child), 5000);
      await exited;
      clearTimeout(timer);
      killGroup(child); // helpers left in its process group
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

async function openPage(cdp: CdpConnection, viewport: { width: number; height: number }): Promise<Page> {
  const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  const session = sessionId as string;
  const errors: string[] = [];
  cdp.listen(session, (method, params) => {
    if (method === "Runtime.exceptionThrown") {
      const details = params.exceptionDetails as { text: string; exception?: { description?: string } };
      errors.push(`exception: ${details.exception?.description ?? details.text}`);
    } else if (method === "Runtime.consoleAPICalled" && (params.type === "error" || params.type === "assert")) {
      errors.push(`console.${params.type}: ${JSON.stringify((params.args as { value?: unknown; description?: string }[]).map((a) => a.value ?? a.description))}`);
    } else if (method === "Log.entryAdded") {
      const entry = params.entry as { level: string; text: string; url?: string };
      if (entry.level === "error") errors.push(`log: ${entry.text} ${entry.url ?? ""}`.trim());
    }
  });
  for (const domain of ["Runtime.enable", "Log.enable", "Page.enable"]) await cdp.send(domain, {}, session);
  await cdp.send("Emulation.setDeviceMetricsOverride", { ...viewport, deviceScaleFactor: 1, mobile: false }, session);
  return {
    errors,
    navigate: async (url) => {
      const loaded = cdp.once(session, "Page.loadEventFired");
      const result = await cdp.send("Page.navigate", { url }, session);
      if (result.errorText) throw new Error(`Cannot open ${url}: ${result.errorText}`);
      await loaded;
    },
    evaluate: async <T>(expression: string) => {
      const result = await cdp.send("Runtime.evaluate", { expression, awaitPromise: true, returnByValue: true }, session);
      const thrown = result.exceptionDetails as { text: string; exception?: { description?: string } } | undefined;
      if (thrown) throw new Error(`In the page: ${thrown.exception?.description ?? thrown.text}`);
      return (result.result as { value: T }).value;
    },
    screenshot: async (path) => {
      const { data } = await cdp.send("Page.captureScreenshot", { format: "png" }, session);
      writeFileSync(path, Buffer.from(data as string, "base64"));
    },
  };
}

class CdpConnection {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: Record<string, unknown>): void; reject(e: Error): void }>();
  private readonly listeners = new Set<(message: CdpMessage) => void>();
  private buffer = "";

  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding("utf8");
    output.on("data", (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf("\0")) !== -1) {
        const message = JSON.parse(this.buffer.slice(0, end)) as CdpMessage;
        this.buffer = this.buffer.slice(end + 1);
        this.dispatch(message);
      }
    });
    output.on("close", () => {
      for (const { reject } of this.pending.values()) reject(new Error("chromium closed the DevTools pipe"));
      this.pending.clear();
    });
  }

  send(method: string, params: Record<string, unknown>, sessionId?: string, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => {
      // A safety net against a hung browser, never a performance assertion.
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
    });
  }

  listen(sessionId: string, onEvent: (method: string, params: Record<string, unknown>) => void): void {
    this.listeners.add((message) => {
      if (message.sessionId === sessionId && message.method) onEvent(message.method, message.params ?? {});
    });
  }

  once(sessionId: string, method: string): Promise<void> {
    return new Promise((resolve) => {
      const listener = (message: CdpMessage) => {
        if (message.sessionId !== sessionId || message.method !== method) return;
        this.listeners.delete(listener);
        resolve();
      };
      this.listeners.add(listener);
    });
  }

  private dispatch(message: CdpMessage): void {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new Error(message.error.message));
      else waiter?.resolve(message.result ?? {});
      return;
    }
    for (const listener of [...this.listeners]) listener(message);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
