import { availableCpus } from "../config/cpus.ts";
import { loadEffectiveConfig } from "../config/load-config.ts";
import { socketPaths } from "../config/unix-socket.ts";
import { currentEngine, currentEngineVersion, isCompiledBinary } from "../runtime/detect.ts";
import { type DescriptorLimit, raiseDescriptorLimit } from "../runtime/descriptor-limit.ts";
import { findSetpriv } from "../runtime/tied-launch.ts";
import type { Engine } from "../runtime/types.ts";
import { hostNotes } from "../supervisor/host-notes.ts";
import { readMigrateSetting } from "../supervisor/port-sharing.ts";
import { parseCommandArgs, serveOptionConfigs } from "./args.ts";
import { configInput } from "./serve.ts";
import { VERSION } from "../version.ts";

export function doctorHelp(): string {
  return `Usage: lsky doctor [app.ts] [serve options]

Prints what lsky runs with on this host: engine, CPUs, the open-files limit
(after lsky raises its soft limit to the hard one, as it does at start) and
net.ipv4.tcp_migrate_req; then each warning \`lsky serve\` would give with the
same options, explained with its fix.
`;
}

/** `lsky doctor`: one line per fact that shapes how lsky serves here. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("doctor", args, serveOptionConfigs());
  if (values.help) return void process.stdout.write(doctorHelp()), 0;
  const { settings } = await loadEffectiveConfig(configInput("doctor", values, positionals));
  const engine = currentEngine();
  const raised = await raiseDescriptorLimit(engine);
  const migrate = readMigrateSetting();
  const rows: [string, string][] = [
    ["lsky", `${VERSION}${isCompiledBinary() ? " (compiled executable)" : ""}`],
    ["engine", `${engine} ${currentEngineVersion()}`],
    ["cpus", String(availableCpus())],
    ["open files", describeLimit(raised.after, raised.before, raised.how)],
    ["tcp_migrate_req", migrate === undefined ? "unavailable" : migrate === "1" ? "1" : `${migrate} (fix: sysctl -w net.ipv4.tcp_migrate_req=1)`],
    ["worker tie", describeTie(engine)],
  ];
  for (const [name, value] of rows) process.stdout.write(`${`${name}:`.padEnd(17)}${value}\n`);
  const notes = hostNotes({ settings, engine, socketsOnly: socketPaths(settings, engine).length > 0 });
  process.stdout.write(notes.length ? "\nwarnings:\n" : "\nwarnings:       none\n");
  for (const note of notes) process.stdout.write(`- ${note.text}\n`);
  return 0;
}

/** How workers are made to die with the supervisor (docs/RELIABILITY.md, "Orphans"). */
function describeTie(engine: Engine): string {
  const setpriv = findSetpriv();
  if (setpriv) return `${setpriv} --pdeathsig KILL`;
  const self = engine === "node" ? "a watchdog thread in each, about 11 MB" : "prctl through FFI";
  return `no setpriv with --pdeathsig: workers tie themselves (${self}; install util-linux 2.33 or later)`;
}

function describeLimit(after: DescriptorLimit | undefined, before: DescriptorLimit | undefined, how: string): string {
  if (!after) return "unknown";
  const text = (n: number) => (Number.isFinite(n) ? String(n) : "unlimited");
  const now = `soft ${text(after.soft)}, hard ${text(after.hard)}`;
  if (before && before.soft !== after.soft) return `${now} (raised from ${text(before.soft)} by ${how})`;
  return `${now} (${how})`;
}
