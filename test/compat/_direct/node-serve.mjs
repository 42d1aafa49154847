// Serves an app the way its own Node entry would: @hono/node-server's serve()
// with the app's fetch. Run with tsx, so TypeScript and the app's tsconfig apply.
// Usage: node --import tsx/esm node-serve.mjs APP_FILE PORT
import { serve } from "@hono/node-server";
import { pathToFileURL } from "node:url";

const [file, port] = process.argv.slice(2);
const app = (await import(pathToFileURL(file).href)).default;
serve({ fetch: app.fetch, port: Number(port), hostname: "127.0.0.1" }, () => console.log(`listening on ${port}`));
