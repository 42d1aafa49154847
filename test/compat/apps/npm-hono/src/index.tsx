import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { stream, streamSSE } from "hono/streaming";
import { Layout } from "./layout.tsx";

const about = readFileSync(new URL("../content/about.txt", import.meta.url), "utf8");

const app = new Hono();
app.get("/", (c) => c.html(<Layout title="Home"><h1>Hello {c.req.query("name") ?? "world"}</h1></Layout>));
app.get("/about", (c) => c.text(about));
app.get("/json", (c) => c.json({ ok: true, list: [1, 2, 3] }));
app.post("/echo", async (c) => c.json(await c.req.json()));
app.get("/stream", (c) => stream(c, async (s) => {
  await s.write("one ");
  await s.write("two");
}));
app.get("/events", (c) => streamSSE(c, async (s) => {
  await s.writeSSE({ data: "first", id: "1" });
  await s.writeSSE({ data: "second", id: "2" });
}));
app.get("/cookie", (c) => {
  setCookie(c, "seen", "yes", { path: "/" });
  return c.text(`before: ${getCookie(c, "seen") ?? "none"}`);
});
app.get("/old", (c) => c.redirect("/", 302));
app.get("/fail", () => {
  throw new Error("boom");
});
app.notFound((c) => c.text("nothing here", 404));

export default app;
