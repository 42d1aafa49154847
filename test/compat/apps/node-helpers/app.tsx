// Hono's Node helpers read Node's request (c.env.incoming); Hono's Node
// documentation finds static files beside the module through import.meta.url.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";

const publicDir = fileURLToPath(new URL("./public/", import.meta.url));

const app = new Hono();
app.get("/", (c) => c.html(<main>node helpers</main>));
app.get("/conninfo", (c) => {
  const { remote } = getConnInfo(c);
  return c.json({ address: remote.address, addressType: remote.addressType, hasPort: typeof remote.port === "number" });
});
app.get("/page", async (c) => c.html(await readFile(`${publicDir}page.html`, "utf8")));
app.get("/module", (c) => c.text(fileURLToPath(import.meta.url).endsWith("/app.tsx") ? "own file" : `elsewhere: ${import.meta.url}`));

app.get("/throw", () => {
  throw new Error("thrown in the app");
});

export default app;
