// Hono's Bun helpers read Bun's server from the second argument of fetch.
import { Hono } from "hono";
import { getBunServer, getConnInfo } from "hono/bun";

const app = new Hono();
app.get("/", (c) => c.text("bun helpers"));
app.get("/conninfo", (c) => {
  const { remote } = getConnInfo(c);
  return c.json({ address: remote.address, addressType: remote.addressType, hasPort: typeof remote.port === "number" });
});
app.get("/server", (c) => c.json({ hasRequestIP: typeof getBunServer<{ requestIP?: unknown }>(c)?.requestIP === "function" }));
app.get("/here", (c) => c.json({ dir: import.meta.dir === new URL(".", import.meta.url).pathname.replace(/\/$/, "") }));

export default app;
