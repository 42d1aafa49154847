import { assertAppFile } from "../app/load-app.ts";
import { checkListeners } from "../config/listener-options.ts";
import { loadEffectiveConfig } from "../config/load-config.ts";
import { LskyError } from "../errors.ts";
import { setLogFormat } from "../log.ts";
import { currentEngine } from "../runtime/detect.ts";
import { raiseDescriptorLimit } from "../runtime/descriptor-limit.ts";
import { prepareCloseOnExec } from "../runtime/close-on-exec.ts";
import { runSupervisor } from "../supervisor/supervisor.ts";
import { type ParsedCommand, parseCommandArgs, serveOptionConfigs, settingFlags } from "./args.ts";
import { handOff } from "./hand-off.ts";
import { serveHelp } from "./help.ts";

/** `lsky serve [entry] [options]`: resolves the settings and runs the supervisor. */
export async function serveCommand(args: string[], options: { embedded?: boolean } = {}): Promise<number> {
  const { values, positionals } = parseCommandArgs("serve", args, serveOptionConfigs());
  if (values.help) {
    process.stdout.write(serveHelp());
    return 0;
  }
  const config = await loadEffectiveConfig(configInput("serve", values, positionals));
  const { settings } = config;
  // An executable made by `lsky compile` is its app: a config file's entry does not replace it.
  const entry = options.embedded && config.entrySource === "file" ? undefined : config.entry;
  setLogFormat(settings.logFormat);
  // Checked here too, so a wrong path fails before any worker starts.
  if (entry) assertAppFile(entry);
  checkListeners(settings);
  if (settings.runtime !== currentEngine()) return handOff(settings.runtime, ["serve", ...args]);
  // Before any worker starts: they inherit the limit, and only the descriptors meant for them.
  await raiseDescriptorLimit(currentEngine());
  await prepareCloseOnExec(currentEngine());
  return runSupervisor({ settings, entry, sources: config.sources, configFile: config.configFile, processes: config.processes });
}

/** What `lsky serve` and `lsky config` read from their arguments. */
export function configInput(command: string, values: ParsedCommand["values"], positionals: string[]) {
  if (positionals.length > 1) {
    throw new LskyError("USAGE", `Expected one app entry, got ${positionals.length}: ${positionals.join(" ")}`, {
      hint: `Run "lsky ${command} --help" for the options`,
    });
  }
  return {
    flags: settingFlags(values),
    entry: positionals[0],
    configPath: values.config === undefined ? undefined : String(values.config),
    envName: values.env === undefined ? undefined : String(values.env),
  };
}
