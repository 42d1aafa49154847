import type { TableSpec } from "../config/store-options.ts";
import { LskyError } from "../errors.ts";
import { utf8Length } from "./utf8-length.ts";

/** How a column holds its values. */
const INT = 0;
const FLOAT = 1;
const STRING = 2;

interface Column {
  name: string;
  kind: typeof INT | typeof FLOAT | typeof STRING;
  /** A string column's limit, in UTF-8 bytes. */
  maxBytes: number;
  /** `"name":`, ready to be written into a row's JSON. */
  label: string;
  /** Number columns: one slot per row, preallocated (the table's size is fixed). */
  numbers?: Float64Array;
  strings?: string[];
}

/**
 * One shared table (docs/TABLES.md), as `Swoole\Table`: a fixed number of
 * rows with typed columns, held column by column so a row costs no object.
 * Every operation checks all it was given before it writes anything, so a
 * refused one leaves the row as it was, and runs to its end synchronously:
 * no other operation, from any process, sees a row half written.
 */
export class TableStore {
  readonly name: string;
  readonly size: number;
  private readonly columns: Column[];
  private readonly byName = new Map<string, Column>();
  private readonly slots = new Map<string, number>();
  private readonly free: Int32Array;
  private freeCount: number;

  constructor(name: string, spec: TableSpec) {
    this.name = name;
    this.size = spec.size;
    this.columns = Object.entries(spec.columns).map(([column, type]) => {
      const kind = type === "int" ? INT : type === "float" ? FLOAT : STRING;
      const maxBytes = kind === STRING ? Number(type.slice("string:".length)) : 0;
      const label = `${JSON.stringify(column)}:`;
      return kind === STRING
        ? { name: column, kind, maxBytes, label, strings: new Array<string>(spec.size).fill("") }
        : { name: column, kind, maxBytes, label, numbers: new Float64Array(spec.size) };
    });
    for (const column of this.columns) this.byName.set(column.name, column);
    // Slots are handed out from the top of this stack: 0 first.
    this.free = new Int32Array(spec.size);
    for (let i = 0; i < spec.size; i++) this.free[i] = spec.size - 1 - i;
    this.freeCount = spec.size;
  }

  count(): number {
    return this.slots.size;
  }

  keys(): string[] {
    return [...this.slots.keys()];
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** The row as JSON text (`{"hits":1,...}`), or undefined when there is none. */
  getJson(key: string): string | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    let text = "{";
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i]!;
      const value = column.kind === STRING ? JSON.stringify(column.strings![slot]) : String(column.numbers![slot]);
      text += i === 0 ? column.label + value : `,${column.label}${value}`;
    }
    return `${text}}`;
  }

  /** The row as an object, or undefined. */
  get(key: string): Record<string, string | number> | undefined {
    const json = this.getJson(key);
    return json === undefined ? undefined : JSON.parse(json) as Record<string, string | number>;
  }

  /**
   * Writes the columns `row` names; the others keep their value (0 or "" in a
   * new row). Refused whole with TABLE_VALUE for an unknown column or a value
   * the column cannot hold, with TABLE_FULL when a new row does not fit.
   */
  set(key: string, row: unknown): void {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw this.valueError(`Cannot set "${key}" in table "${this.name}": expected an object of columns, got ${describe(row)}`);
    }
    const entries = row as Record<string, unknown>;
    for (const name in entries) this.check(key, name, entries[name]);
    const slot = this.slotFor(key);
    for (const name in entries) {
      const column = this.byName.get(name)!;
      if (column.kind === STRING) column.strings![slot] = entries[name] as string;
      else column.numbers![slot] = entries[name] as number;
    }
  }

  /** Adds `by` to a number column and returns the new value; a missing row is created first. */
  incr(key: string, name: string, by: unknown): number {
    const column = this.byName.get(name);
    if (!column || column.kind === STRING) {
      const why = column ? `it is a string column` : `the table has no such column`;
      throw this.valueError(`Cannot incr "${name}" of "${key}" in table "${this.name}": ${why}`);
    }
    this.checkNumber(key, column, by);
    const slot = this.slots.get(key);
    const current = slot === undefined ? 0 : column.numbers![slot]!;
    const next = current + (by as number);
    if (column.kind === INT ? !Number.isSafeInteger(next) : !Number.isFinite(next)) {
      throw this.valueError(`Cannot incr "${name}" of "${key}" in table "${this.name}" by ${String(by)}: ${current} + ${String(by)} is out of the column's range`);
    }
    column.numbers![slot ?? this.slotFor(key)] = next;
    return next;
  }

  /** Removes the row; false when there was none. */
  del(key: string): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    for (const column of this.columns) {
      if (column.kind === STRING) column.strings![slot] = "";
      else column.numbers![slot] = 0;
    }
    this.free[this.freeCount++] = slot;
    return true;
  }

  private slotFor(key: string): number {
    const slot = this.slots.get(key);
    if (slot !== undefined) return slot;
    if (this.freeCount === 0) {
      throw new LskyError("TABLE_FULL", `Cannot add "${key}" to table "${this.name}": it is full (${this.size} rows)`, {
        hint: "Delete rows with del(), or declare a larger size in lsky.config.ts",
      });
    }
    const fresh = this.free[--this.freeCount]!;
    this.slots.set(key, fresh);
    return fresh;
  }

  private check(key: string, name: string, value: unknown): void {
    const column = this.byName.get(name);
    if (!column) {
      throw this.valueError(`Cannot set "${key}" in table "${this.name}": it has no column "${name}" (columns: ${this.columns.map((c) => c.name).join(", ")})`);
    }
    if (column.kind !== STRING) return this.checkNumber(key, column, value);
    if (typeof value !== "string") {
      throw this.valueError(`Cannot set "${name}" of "${key}" in table "${this.name}": expected a string, got ${describe(value)}`);
    }
    const bytes = utf8Length(value);
    if (bytes > column.maxBytes) {
      throw this.valueError(`Cannot set "${name}" of "${key}" in table "${this.name}": the string is ${bytes} bytes, over the column's ${column.maxBytes}`);
    }
  }

  private checkNumber(key: string, column: Column, value: unknown): void {
    const fits = column.kind === INT ? Number.isSafeInteger(value) : typeof value === "number" && Number.isFinite(value);
    if (fits) return;
    const expected = column.kind === INT ? "an integer (a safe one, as Number.isSafeInteger)" : "a finite number";
    throw this.valueError(`Cannot write "${column.name}" of "${key}" in table "${this.name}": expected ${expected}, got ${describe(value)}`);
  }

  private valueError(message: string): LskyError {
    return new LskyError("TABLE_VALUE", message);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return typeof value === "number" ? String(value) : typeof value;
}
