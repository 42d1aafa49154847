// Shared tables and cache (docs/TABLES.md): run `lsky serve --workers 2` in this folder.
import { Hono } from "hono";
import { cache, LskyError, table, type Env } from "lsky";

const app = new Hono<{ Bindings: Env }>();
const pages = table("pages");

// Counted across every worker: each incr is atomic in the supervisor's store.
app.post("/hits/:page", async (c) => c.json({ page: c.req.param("page"), hits: await pages.incr(c.req.param("page"), "hits") }));

// A title longer than its column is refused (TABLE_VALUE), never cut short.
app.put("/pages/:page", async (c) => {
  try {
    await pages.set(c.req.param("page"), { title: await c.req.text() });
    return c.body(null, 204);
  } catch (error) {
    if (error instanceof Error && (error as LskyError).code === "TABLE_VALUE") return c.json({ error: error.message }, 400);
    throw error;
  }
});

app.get("/pages", async (c) => {
  const rows = await Promise.all((await pages.keys()).map(async (key) => ({ page: key, ...await pages.get(key) })));
  return c.json(rows);
});

// Worked out once, then served from the cache to every worker for 10 seconds.
app.get("/report", async (c) => {
  const cached = await cache.get<{ pages: number; madeBy: number }>("report");
  if (cached) return c.json({ ...cached, cached: true });
  const report = { pages: await pages.count(), madeBy: c.env.bus.workerId };
  await cache.set("report", report, { ttl: "10s" });
  return c.json({ ...report, cached: false });
});

export default app;
