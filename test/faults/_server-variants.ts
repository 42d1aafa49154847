import type { Target } from "../harness/targets.ts";

/** Which server answers: the engine's default, or Deno's node:http (`--deno-server node`). */
export type ServerKey = Target["engine"] | "deno node:http";

export interface ServerVariant {
  key: ServerKey;
  /** Added to lsky's command line. */
  args: string[];
  /** Appended to the suite title ("" for the default server). */
  title: string;
}

/**
 * The servers a limits suite runs against on a target: its default, and on
 * Deno also node:http, the slower server that keeps every limit Deno.serve
 * (the default) cannot.
 */
export function serverVariants(target: Target): ServerVariant[] {
  const variants: ServerVariant[] = [{ key: target.engine, args: [], title: "" }];
  if (target.engine === "deno") variants.push({ key: "deno node:http", args: ["--deno-server", "node"], title: " with --deno-server node" });
  return variants;
}
