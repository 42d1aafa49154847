import { Hono } from "hono";
import { getConnInfo } from "hono/deno";
import { greeting } from "@lib/greeting.ts";

const note = await Deno.readTextFile(new URL("./data/note.txt", import.meta.url));

const app = new Hono();
app.get("/", (c) => c.html(<p>{greeting}</p>));
app.get("/note", (c) => c.text(note));
app.get("/conninfo", (c) => {
  const { remote } = getConnInfo(c);
  return c.json({ address: remote.address, hasPort: typeof remote.port === "number" });
});

export default app;
