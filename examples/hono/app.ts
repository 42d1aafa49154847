// A Hono app with lsky's types: c.env is lsky's Env (client address, message bus).
import { Hono } from "hono";
import type { Env } from "lsky";

const app = new Hono<{ Bindings: Env }>();

app.get("/", (c) => c.text("Hello from Hono on lsky"));
app.get("/ip", (c) => c.text(c.env.remoteAddr.hostname));
app.get("/users/:id", (c) => c.json({ id: c.req.param("id"), worker: c.env.bus.workerId }));

export default app;
