const program = process.argv[2] === "x" ? "./_probe.ts" : "./binary-cli.ts";
void import(program);
