import { assertAppFile } from "../app/load-app.ts";
import { resolveSettings } from "../config/resolve.ts";
import { LskyError } from "../errors.ts";
import { currentEngine } from "../runtime/detect.ts";
import { runSupervisor } from "../supervisor/supervisor.ts";
import { parseCommandArgs, serveOptionConfigs, settingFlags } from "./args.ts";
import { handOff } from "./hand-off.ts";
import { serveHelp } from "./help.ts";

/** `lsky serve [entry] [options]`: resolves the settings and runs the supervisor. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs("serve", args, serveOptionConfigs());
  if (values.help) {
    process.stdout.write(serveHelp());
    return 0;
  }
  if (positionals.length > 1) {
    throw new LskyError("USAGE", `Expected one app entry, got ${positionals.length}: ${positionals.join(" ")}`, {
      hint: 'Run "lsky serve --help" for the options',
    });
  }
  const entry = positionals[0];
  const { settings } = resolveSettings({
    flags: settingFlags(values),
    env: process.env,
    context: { currentEngine: currentEngine() },
  });
  // Checked here too, so a wrong path fails before any worker starts.
  if (entry) assertAppFile(entry);
  if (settings.runtime !== currentEngine()) return handOff(settings.runtime, ["serve", ...args]);
  return runSupervisor({ settings, entry });
}
