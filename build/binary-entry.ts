// The entry of dist/lsky. The binary holds two programs, each compiled to
// bytecode of its own (build/build.mjs names both as entry points): the
// commands and supervisor (binary-cli.ts) and the workers (binary-worker.ts).
// This file only chooses, so a worker never loads the commands' code: an
// idle worker holds less memory and starts sooner (docs/BENCHMARKS.md,
// "Memory of an idle server").
import { isRoleArg } from "../src/runtime/role-names.ts";

// A computed specifier: the bundler keeps the import, which resolves to the
// entry point embedded beside this one.
const program = isRoleArg(process.argv[2]) ? "./binary-worker.ts" : "./binary-cli.ts";
void import(program);
