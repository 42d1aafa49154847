import { parseInteger } from "../config/parse-value.ts";
import { LskyError } from "../errors.ts";
import type { ControlCommand } from "../supervisor/control-protocol.ts";
import type { StatusReport } from "../supervisor/status.ts";
import { parseCommandArgs } from "./args.ts";
import { sendControl } from "./control-client.ts";
import { askServer, findServerByPid, findServers } from "./find-servers.ts";
import { controlHelp } from "./help.ts";
import { formatServerList, formatStatus } from "./status-table.ts";
import { waitForExit } from "./wait-exit.ts";

/** Which server a control command talks to: the one started here, or by --port or --pid. */
interface Reach {
  port?: number;
  pid?: number;
}

const REACH_OPTIONS = { port: { type: "string" }, pid: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

function numberOption(name: string, value: string | boolean | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInteger(String(value), 1, max);
  } catch (error) {
    throw new LskyError("USAGE", `Invalid value "${value}" for --${name}: ${(error as Error).message}`);
  }
}

function reachOf(values: Record<string, string | boolean | undefined>): Reach {
  const reach = { port: numberOption("port", values.port, 65535), pid: numberOption("pid", values.pid, 2 ** 22) };
  if (reach.port !== undefined && reach.pid !== undefined) throw new LskyError("USAGE", "Give --port or --pid, not both");
  return reach;
}

async function ask(command: ControlCommand, reach: Reach): Promise<unknown> {
  if (reach.pid !== undefined) return askServer((await findServerByPid(reach.pid)).path, command);
  return sendControl(command, reach.port);
}

/** `lsky reload`. */
export async function reloadCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("reload", args, REACH_OPTIONS);
  if (values.help) return void process.stdout.write(controlHelp("reload")), 0;
  const reply = await ask("reload", reachOf(values)) as { ms?: number; reloaded?: number };
  process.stdout.write(`Reloaded ${reply.reloaded} worker${reply.reloaded === 1 ? "" : "s"} in ${reply.ms} ms\n`);
  return 0;
}

/** `lsky stop [--no-wait]`: returns once the supervisor has exited, unless --no-wait. */
export async function stopCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("stop", args, { ...REACH_OPTIONS, "no-wait": { type: "boolean" } });
  if (values.help) return void process.stdout.write(controlHelp("stop")), 0;
  const reach = reachOf(values);
  const { pid } = await ask("status", reach) as StatusReport;
  const started = Date.now();
  await ask("stop", reach);
  if (values["no-wait"]) {
    process.stdout.write(`Stopping lsky (pid ${pid}): the workers are draining\n`);
    return 0;
  }
  await waitForExit(pid, (waited) => {
    process.stdout.write(`Still waiting for lsky (pid ${pid}) to exit after ${Math.round(waited / 1000)} s: its workers are draining\n`);
  });
  process.stdout.write(`Stopped lsky (pid ${pid}) in ${Date.now() - started} ms\n`);
  return 0;
}

/** `lsky status [--json] [-i SECS]`; with no server started here, the list of every server. */
export async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs("status", args, {
    ...REACH_OPTIONS, json: { type: "boolean" }, interval: { type: "string", short: "i" },
  });
  if (values.help) return void process.stdout.write(controlHelp("status")), 0;
  const reach = reachOf(values);
  const interval = values.interval === undefined ? 0 : parseIntervalOption(String(values.interval));
  const render = (report: StatusReport) => values.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report);
  let first: StatusReport;
  try {
    first = await ask("status", reach) as StatusReport;
  } catch (error) {
    const here = reach.port === undefined && reach.pid === undefined;
    if (!here || !(error instanceof LskyError) || error.code !== "NO_SERVER") throw error;
    return listServers(error, values.json === true);
  }
  process.stdout.write(render(first));
  while (interval > 0) {
    await new Promise((r) => setTimeout(r, interval));
    const report = await ask("status", reach) as StatusReport;
    process.stdout.write(`${values.json ? "" : "\x1b[2J\x1b[H"}${render(report)}`);
  }
  return 0;
}

/** No server was started here: list every one this user runs, as `pm2 ls` does. */
async function listServers(noServerHere: LskyError, json: boolean): Promise<number> {
  const servers = await findServers();
  if (servers.length === 0) throw noServerHere;
  const reports = servers.map((s) => s.report);
  process.stdout.write(json ? `${JSON.stringify(reports, null, 2)}\n` : formatServerList(reports));
  return 0;
}

function parseIntervalOption(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new LskyError("USAGE", `Invalid value "${text}" for --interval: expected seconds between 0 and 3600`);
  }
  return seconds * 1000;
}
