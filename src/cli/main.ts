import { main } from "./run.ts";

void main(process.argv.slice(2));
