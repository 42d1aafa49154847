import { LskyError } from "../errors.ts";
import { runRole } from "../worker/role.ts";
import { exitStatusOf, printFatal } from "../fatal.ts";
import { VERSION } from "../version.ts";
import { closestMatch } from "../config/closest.ts";
import { COMMANDS, mainHelp } from "./help.ts";
import { flushOutput, setLogFormat } from "../log.ts";

export interface MainOptions {
  /** Set by `lsky compile` output: a bare invocation serves the built-in app. */
  embedded?: boolean;
}

/** lsky's entry: dispatches a command and exits with its status (0 ok, 1 failure, 2 usage, 3 no server). */
export async function main(argv: string[], options: MainOptions = {}): Promise<void> {
  if (await runRole(argv[0])) return;
  presetLogFormat(argv, process.env);
  let code: number;
  try {
    code = await dispatch(argv, options);
  } catch (error) {
    printFatal(error);
    code = exitStatusOf(error);
  }
  // The supervisor's output is queued (src/output-queue.ts); a bounded wait lets its last lines out.
  await flushOutput(2000);
  process.exit(code);
}

async function dispatch(argv: string[], options: MainOptions): Promise<number> {
  const [command, ...rest] = argv;
  if (options.embedded && (command === undefined || command.startsWith("-")) && command !== "--version") {
    return (await import("./serve.ts")).serveCommand(argv, { embedded: true });
  }
  switch (command) {
    case "serve":
      return (await import("./serve.ts")).serveCommand(rest, { embedded: options.embedded });
    case "status":
      return (await import("./control.ts")).statusCommand(rest);
    case "reload":
      return (await import("./control.ts")).reloadCommand(rest);
    case "stop":
      return (await import("./control.ts")).stopCommand(rest);
    case "config":
      return (await import("./config.ts")).configCommand(rest);
    case "compile":
      return (await import("./compile.ts")).compileCommand(rest);
    case "doctor":
      return (await import("./doctor.ts")).doctorCommand(rest);
    case "--version":
    case "-v":
      process.stdout.write(`lsky ${VERSION}\n`);
      return 0;
    case "help":
      // `lsky help serve` is `lsky serve --help`.
      if (rest[0] !== undefined) return dispatch([rest[0], "--help"], options);
      process.stdout.write(mainHelp());
      return 0;
    case undefined:
    case "--help":
    case "-h":
      process.stdout.write(mainHelp());
      return 0;
    default:
      throw unknownCommand(command);
  }
}

function unknownCommand(command: string): LskyError {
  const known = command.startsWith("-") ? [] : COMMANDS;
  const suggestion = closestMatch(command, known);
  return new LskyError("USAGE", `Unknown command "${command}"${suggestion ? `: did you mean "${suggestion}"?` : ""}`, {
    hint: 'Run "lsky --help" for the commands',
  });
}

/**
 * Errors found while the settings resolve (a bad config file) are printed
 * before --log-format is known for sure; honour it if it was given plainly.
 */
function presetLogFormat(argv: string[], env: NodeJS.ProcessEnv): void {
  const at = argv.indexOf("--log-format");
  const given = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith("--log-format="))?.slice(13) ?? env.LSKY_LOG_FORMAT;
  if (given === "json" || given === "text") setLogFormat(given);
}
