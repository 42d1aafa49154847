// Checks that every function in src/ (test files aside) is at most MAX_LINES
// long, counted from the line where its parameters open to the line of its
// closing brace, unless the line just above it (or above the comment block
// right above it) says why: `// long: <reason>`.
// Functions are found by brace matching on the source with comments, strings,
// template text and regular expressions blanked out, so a brace in a string
// never counts. A body is a `{` that follows either `=>` (an arrow with a
// block body) or the `)` closing a parameter list, possibly with a return type
// between (`function f(...)`, a method `name(...)`, `get x()`), as long as the
// word before the `(` is not a statement keyword (`if`, `for`, `while`, ...).
// Exits 1 and lists each offender. Usage: node scripts/check-function-length.mjs
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const MAX_LINES = 45;
const STATEMENT_KEYWORDS = new Set(["if", "for", "while", "switch", "catch", "with", "return", "typeof", "await", "yield", "in", "of", "new"]);
// After one of these (or at the start), a `/` begins a regular expression, not a division.
const REGEX_AFTER_CHAR = new Set([..."(,=:[!&|?{};+-*%<>~^"]);
const REGEX_AFTER_WORD = new Set(["return", "typeof", "case", "in", "of", "new", "delete", "void", "throw", "yield", "await"]);

/**
 * The source with every comment, string, template text and regular
 * expression replaced by spaces (newlines kept, so offsets and line numbers
 * hold). The code inside `${...}` stays, since it may hold functions.
 */
export function blankNonCode(text) {
  const out = text.split("");
  const blank = (from, to) => {
    for (let i = from; i < to; i++) if (out[i] !== "\n") out[i] = " ";
  };
  // One entry per open `{` in code: true when it is a template's `${`.
  const braces = [];
  let i = 0;
  const skipTemplate = () => {
    // i is just after a backtick or a `}` closing `${`; stops after the closing backtick or at `${`.
    const start = i;
    while (i < text.length) {
      const c = text[i];
      if (c === "\\") i += 2;
      else if (c === "`") { blank(start, i); i++; return; }
      else if (c === "$" && text[i + 1] === "{") { blank(start, i); braces.push(true); i += 2; return; }
      else i++;
    }
    blank(start, i);
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      const start = i++;
      while (i < text.length && text[i] !== c && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      i++;
      blank(start + 1, Math.min(i - 1, text.length));
    } else if (c === "`") {
      i++;
      skipTemplate();
    } else if (c === "/" && startsRegex(out, i)) {
      const start = i++;
      let inClass = false;
      while (i < text.length && text[i] !== "\n") {
        const r = text[i];
        if (r === "\\") { i += 2; continue; }
        if (r === "[") inClass = true;
        else if (r === "]") inClass = false;
        else if (r === "/" && !inClass) break;
        i++;
      }
      i++;
      blank(start + 1, Math.min(i - 1, text.length));
    } else if (c === "{") {
      braces.push(false);
      i++;
    } else if (c === "}") {
      const template = braces.pop();
      i++;
      if (template) skipTemplate();
    } else {
      i++;
    }
  }
  return out.join("");
}

function startsRegex(code, at) {
  let j = at - 1;
  while (j >= 0 && /\s/.test(code[j])) j--;
  if (j < 0) return true;
  if (REGEX_AFTER_CHAR.has(code[j])) return true;
  let k = j;
  while (k >= 0 && /[\w$]/.test(code[k])) k--;
  return REGEX_AFTER_WORD.has(code.slice(k + 1, j + 1));
}

/** The offset of the bracket matching the one at `at` (searching backward from a closer), or -1. */
function matchBackward(code, at) {
  const close = code[at];
  const open = { ")": "(", "}": "{", "]": "[" }[close];
  let depth = 0;
  for (let j = at; j >= 0; j--) {
    if (code[j] === close) depth++;
    else if (code[j] === open && --depth === 0) return j;
  }
  return -1;
}

function matchForward(code, at) {
  let depth = 0;
  for (let j = at; j < code.length; j++) {
    if (code[j] === "{") depth++;
    else if (code[j] === "}" && --depth === 0) return j;
  }
  return -1;
}

/** Steps back over the type parameters of `name<T>(`: the offset to read the name before. */
function skipGenerics(code, open) {
  let j = open - 1;
  while (j >= 0 && /\s/.test(code[j])) j--;
  if (code[j] !== ">") return open;
  let depth = 0;
  for (; j >= 0; j--) {
    if (code[j] === ">") depth++;
    else if (code[j] === "<" && --depth === 0) return j;
  }
  return open;
}

function wordBefore(code, at) {
  let j = at - 1;
  while (j >= 0 && /\s/.test(code[j])) j--;
  let k = j;
  while (k >= 0 && /[\w$#]/.test(code[k])) k--;
  return code.slice(k + 1, j + 1);
}

/**
 * Where the parameter list of the function whose body opens at `brace`
 * starts, or -1 when that `{` is no function body (an object, a block, a type).
 */
function functionStart(code, brace) {
  let j = brace - 1;
  while (j >= 0 && /\s/.test(code[j])) j--;
  if (code[j] === ">" && code[j - 1] === "=") return arrowStart(code, j - 1);
  const close = returnTypeStart(code, j);
  if (close < 0 || code[close] !== ")") return -1;
  const open = matchBackward(code, close);
  if (open < 0) return -1;
  const word = wordBefore(code, skipGenerics(code, open));
  if (STATEMENT_KEYWORDS.has(word)) return -1;
  if (word === "" && !/function\s*\*\s*$/.test(code.slice(Math.max(0, open - 12), open))) return -1;
  return open;
}

/** From the end of what precedes a body's `{`, steps back over a return type annotation to the `)`. */
function returnTypeStart(code, end) {
  if (code[end] === ")") {
    // `(): (A | B) {` is rare; a `)` right before `{` is the parameter list.
    return end;
  }
  // `): {` opens an object return type, not the body.
  if (code[end] === ":") return -1;
  // Walk back over a type, keeping bracket depth, to a `:` at depth 0 preceded by `)`.
  let depth = 0;
  for (let j = end; j >= 0; j--) {
    const c = code[j];
    // A return type sits on the line of its `{`, and only ends in `}` when it is an object type.
    if (depth === 0 && (c === "\n" || (c === "}" && j !== end))) return -1;
    if (c === ")" || c === "]" || c === "}" || (c === ">" && code[j - 1] !== "=")) depth++;
    else if (c === "(" || c === "[" || c === "{" || c === "<") {
      if (depth === 0) return -1;
      depth--;
    } else if (depth === 0 && (c === ";" || c === "=" || c === ",")) return -1;
    else if (depth === 0 && c === ":") {
      let k = j - 1;
      while (k >= 0 && /\s/.test(code[k])) k--;
      return code[k] === ")" ? k : -1;
    }
  }
  return -1;
}

function arrowStart(code, arrow) {
  let j = arrow - 1;
  while (j >= 0 && /\s/.test(code[j])) j--;
  if (code[j] === ")") return matchBackward(code, j);
  // `x => {` or `(x): T => {`: the start of the single parameter or of the type's list.
  const typed = returnTypeStart(code, j);
  if (typed >= 0) return matchBackward(code, typed);
  let k = j;
  while (k >= 0 && /[\w$]/.test(code[k])) k--;
  return k + 1;
}

function nameAt(code, start) {
  const before = code.slice(Math.max(0, start - 200), start);
  const match =
    before.match(/(?:function\s*\*?\s*|(?:const|let|var)\s+)([\w$]+)\s*(?:<[^>]*>)?\s*(?:=\s*(?:async\s*)?)?$/) ??
    before.match(/([\w$#]+)\s*(?:<[^>]*>)?\s*\??\s*$/) ??
    before.match(/([\w$#]+)\s*[:=]\s*(?:async\s*)?$/);
  return match?.[1] ?? "(anonymous)";
}

const lineOf = (lineStarts, offset) => {
  let lo = 0, hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
};

/** The reason from a `// long: <reason>` comment just above line `line` (1-based), skipping a comment block. */
export function longReason(lines, line) {
  for (let i = line - 2; i >= 0; i--) {
    const text = lines[i].trim();
    const reason = text.match(/^\/\/\s*long:\s*(\S.*)$/);
    if (reason) return reason[1];
    if (!(text.startsWith("//") || text.startsWith("*") || text.startsWith("/*"))) return undefined;
  }
  return undefined;
}

/** Every function body in a TypeScript or JavaScript source: name, first and last line, length, reason. */
export function scanFunctions(text) {
  const code = blankNonCode(text);
  const lines = text.split("\n");
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
  const found = [];
  for (let at = 0; at < code.length; at++) {
    if (code[at] !== "{") continue;
    const start = functionStart(code, at);
    if (start < 0) continue;
    const end = matchForward(code, at);
    if (end < 0) continue;
    const first = lineOf(lineStarts, start);
    const last = lineOf(lineStarts, end);
    found.push({ name: nameAt(code, start), first, last, length: last - first + 1, reason: longReason(lines, first) });
  }
  return found;
}

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

function main() {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const offences = [];
  for (const file of sourceFiles(join(root, "src")).sort()) {
    for (const fn of scanFunctions(readFileSync(file, "utf8"))) {
      if (fn.length > MAX_LINES && !fn.reason) offences.push(`${relative(root, file)}:${fn.first} ${fn.name} is ${fn.length} lines`);
    }
  }
  if (offences.length === 0) return;
  console.error(`functions longer than ${MAX_LINES} lines (split them, or say why on the line above: // long: <reason>):`);
  for (const offence of offences) console.error(`  ${offence}`);
  process.exit(1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
