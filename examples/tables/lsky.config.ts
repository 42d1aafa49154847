import { defineConfig } from "lsky";

export default defineConfig({
  entry: "app.ts",
  // Each page's row: a counter every worker adds to, and a title of at most 64 bytes.
  tables: { pages: { size: 1024, columns: { hits: "int", title: "string:64" } } },
  cache: { maxEntries: 1000, maxBytes: "1mb" },
});
