import { formatListenerList, type ListenerSpec } from "./listener-options.ts";
import type { SettingSpec } from "./options.ts";
import { TASK_WORKERS_AUTO } from "./task-options.ts";

/** A setting's value as a person writes it: durations as "30s" or "300ms", the empty string as "". */
export function formatSettingValue(spec: SettingSpec, value: unknown): string {
  if (spec.secret) return value === "" ? '""' : "(set)";
  if (spec.valueName === "DURATION" && typeof value === "number") {
    if (value === 0) return "0";
    return value % 1000 === 0 ? `${value / 1000}s` : `${value}ms`;
  }
  if (spec.key === "listeners") return formatListenerList(value as ListenerSpec[]);
  if (value === "") return '""';
  if (spec.key === "taskWorkers" && value === TASK_WORKERS_AUTO) return "auto";
  if (Array.isArray(value)) return value.join(",");
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}
