// A chat room served by every worker of the pool:
//   lsky serve examples/chat/app.ts --workers 2
// then open http://localhost:8000 in two browser tabs. Messages reach every
// tab, whichever worker holds its connection.
import { Hono } from "hono";
import { sockets, upgradeWebSocket } from "lsky";

const app = new Hono();

app.get("/", (c) => c.html(PAGE));

app.get("/ws", upgradeWebSocket((c) => {
  const name = (c.req.query("name") ?? "guest").slice(0, 32);
  return {
    onOpen(_event, ws) {
      ws.subscribe("room");
      ws.publish("room", `${name} joined`);
    },
    onMessage(event, ws) {
      if (typeof event.data !== "string") return;
      ws.send(`you: ${event.data}`);
      ws.publish("room", `${name}: ${event.data}`);
    },
    onClose(_event, ws) {
      sockets.publish("room", `${name} left`);
      ws.unsubscribe("room");
    },
  };
}));

app.get("/online", async (c) => c.json({ online: await sockets.count("room") }));

const PAGE = `<!doctype html>
<meta charset="utf-8"><title>lsky chat</title>
<ul id="log"></ul>
<form id="f"><input id="text" autocomplete="off"><button>Send</button></form>
<script>
  const name = prompt("Your name") || "guest";
  const ws = new WebSocket(location.origin.replace("http", "ws") + "/ws?name=" + encodeURIComponent(name));
  ws.onmessage = (e) => { const li = document.createElement("li"); li.textContent = e.data; log.append(li); };
  f.onsubmit = (e) => { e.preventDefault(); ws.send(text.value); text.value = ""; };
</script>`;

export default app;
