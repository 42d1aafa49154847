import { spawn } from "node:child_process";
import { logger } from "../log.ts";
import { isCompiledBinary } from "../runtime/detect.ts";
import { engineLaunchCommand } from "../runtime/launch.ts";
import { signalChild } from "../runtime/signal-child.ts";
import { LAUNCHER_PID_ENV } from "../supervisor/launcher-watch.ts";
import type { Engine } from "../runtime/types.ts";

const FORWARDED_SIGNALS: NodeJS.Signals[] = ["SIGTERM", "SIGINT", "SIGHUP"];

/**
 * Runs the same lsky command on another engine and mirrors its exit. The
 * supervisor always runs on the engine its workers use, so `--runtime`
 * different from the current engine starts lsky again there.
 */
export function handOff(engine: Engine, argv: string[]): Promise<number> {
  const { command, args } = engineLaunchCommand(engine);
  const child = spawn(command, [...args, ...argv], {
    stdio: "inherit",
    // Its own process group: a terminal's Ctrl-C (sent to the whole foreground
    // group) then reaches it once, forwarded from here, not twice. The child
    // stops by itself if this launcher dies (src/supervisor/launcher-watch.ts).
    detached: true,
    // From the binary, Node has no esbuild to load a TypeScript app with; the
    // Bun inside the binary transpiles it instead (src/transpile/transpile-for-node.ts).
    env: {
      ...process.env,
      LSKY_RUNTIME: engine,
      [LAUNCHER_PID_ENV]: String(process.pid),
      ...(isCompiledBinary() ? { LSKY_BUN_BIN: process.execPath } : {}),
    },
  });
  const forward = (signal: NodeJS.Signals) => () => signalChild(child, signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward(signal));
  return new Promise((resolve) => {
    child.once("error", (error) => {
      logger.error(`Cannot start ${engine} (${command}): ${error.message}`);
      resolve(1);
    });
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 + signalNumber(signal) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 0;
}
