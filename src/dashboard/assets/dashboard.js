// The lsky dashboard: one EventSource on /api/events, panels that each read
// their own key of the `hello` and `tick` messages; a new panel calls
// lskyDashboard.registerPanel and needs no change elsewhere. No framework:
// the page must stay small and ship in the binary.
"use strict";
(() => {
  const $ = (id) => document.getElementById(id);
  const WINDOW = 300; // samples kept on the charts: five minutes at one a second
  const panels = [];
  const dashboard = {
    registerPanel: (panel) => panels.push(panel),
    charts: {},
    events: [],
    slots: [],
    lastAction: null,
    ticks: 0,
  };
  window.lskyDashboard = dashboard;

  const TOKEN_KEY = "lsky-admin-token";
  // lsky prints the page's address with the token in the fragment, which the
  // browser never sends anywhere; keep it for this tab and take it off the URL.
  const fromHash = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(fromHash[1]));
    history.replaceState(null, "", location.pathname);
  }

  // ---- formatting, as `lsky status` prints ----
  function duration(ms) {
    const s = Math.floor(ms / 1000);
    if (s < 60) return `${s}s`;
    if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
    if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
    return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, "0")}h`;
  }
  function bytes(n) {
    if (!n || n <= 0) return "-";
    const mb = n / 1048576;
    return mb >= 100 ? `${Math.round(mb)} MB` : `${mb.toFixed(1)} MB`;
  }
  function exit(e) {
    if (!e) return "-";
    const how = e.signal ? e.signal : e.code === null ? "" : `code ${e.code}`;
    return how ? `${e.reason} (${how})` : e.reason;
  }
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // ---- server ----
  dashboard.registerPanel({
    update(msg) {
      const s = msg.server;
      if (!s) return;
      $("version").textContent = s.version;
      document.title = `lsky ${s.app} — dashboard`;
      const facts = [
        ["app", s.app], ["engine", `${s.engine} ${s.engineVersion}`], ["listening", s.listen],
        ["workers", String(s.workers)], ["uptime", duration(s.uptime)], ["supervisor pid", String(s.pid)],
        ["supervisor memory", bytes(s.memory)], ["admin", s.admin],
      ];
      $("server").replaceChildren(...facts.map(([k, v]) => {
        const row = el("div");
        row.append(el("dt", k), el("dd", v));
        return row;
      }));
    },
  });

  // ---- workers ----
  const rowsByKey = new Map();
  dashboard.registerPanel({
    update(msg) {
      if (!msg.workers) return;
      dashboard.workers = msg.workers;
      const body = $("workers").tBodies[0];
      const seen = new Set();
      msg.workers.forEach((w, index) => {
        const key = `${w.id}:${w.pid}`;
        seen.add(key);
        let row = rowsByKey.get(key);
        if (!row) {
          row = el("tr");
          row.dataset.pid = String(w.pid);
          for (let i = 0; i < 10; i++) row.append(el("td"));
          const stop = el("button", "Stop", "small");
          stop.type = "button";
          stop.dataset.slot = String(w.id);
          stop.title = "Stop this worker; a new one takes its place first";
          row.cells[9].append(stop);
          rowsByKey.set(key, row);
        }
        row.className = w.state;
        const cells = [w.id, w.pid || "-", w.state, w.pid ? duration(w.uptime) : "-", w.requests, w.inflight, bytes(w.rss), w.restarts, exit(w.lastExit)];
        cells.forEach((value, i) => (row.cells[i].textContent = String(value)));
        row.cells[9].firstChild.hidden = w.state !== "ready";
        if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] || null);
      });
      for (const [key, row] of rowsByKey) if (!seen.has(key)) (row.remove(), rowsByKey.delete(key));
    },
  });
  $("workers").addEventListener("click", (event) => {
    const slot = event.target.dataset && event.target.dataset.slot;
    if (slot) confirmAction(`Stop worker ${slot}? A new worker starts first, then this one drains and exits.`, `/api/workers/${slot}/stop`, `stop worker ${slot}`);
  });

  // ---- beside the HTTP workers: task workers, custom processes, facilities ----
  function table(headings, rows, className) {
    const node = el("table", undefined, className);
    const head = el("tr");
    for (const heading of headings) head.append(el("th", heading));
    node.createTHead().append(head);
    const body = node.createTBody();
    for (const { cells, state } of rows) {
      const row = el("tr", undefined, state);
      for (const cell of cells) row.append(el("td", String(cell)));
      body.append(row);
    }
    return node;
  }
  function facts(pairs) {
    const list = el("dl", undefined, "facts");
    for (const [key, value] of pairs) {
      const row = el("div");
      row.append(el("dt", key), el("dd", String(value)));
      list.append(row);
    }
    return list;
  }
  function block(name, title, content) {
    const box = el("div");
    box.dataset.block = name;
    box.append(el("h3", title), content);
    return box;
  }
  const clock = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "-");
  const POOL_COLUMNS = ["ID", "PID", "State", "Uptime", "Memory", "Restarts", "Last exit"];
  function poolBlock(pool) {
    const title = pool.name === "task" ? "Task workers" : pool.name.startsWith("process:") ? `Process ${pool.name.slice(8)}` : pool.name;
    const rows = pool.workers.map((w) => ({
      cells: [w.id, w.pid || "-", w.state, w.pid ? duration(w.uptime) : "-", bytes(w.rss), w.restarts, exit(w.lastExit)],
      state: w.state,
    }));
    return block(`pool:${pool.name}`, title, table(POOL_COLUMNS, rows, "pool"));
  }
  const FACILITIES = {
    websockets: (w) => block("websockets", "WebSockets", facts([
      ["open connections", w.open], ["opened since start", w.opened], ["refused (worker full)", w.refused],
      ["messages in", w.messagesIn], ["messages out", w.messagesOut],
    ])),
    tasks: (t) => block("tasks", "Task queue", facts([
      ["task workers", t.workers], ["queued", t.queued], ["delayed", t.delayed], ["running", t.running],
      ["done", t.done], ["failed", t.failed], ["retried", t.retried],
    ])),
    schedule: (jobs) => block("schedule", "Schedule", table(
      ["Job", "When", "Next run", "Last run", "Result", "Runs", "Failures", "Skipped", "Missed"],
      jobs.map((j) => ({
        cells: [j.name, j.timing, clock(j.nextRun), clock(j.lastRun), j.lastResult || "-", j.runs, j.failures, j.skips, j.missed],
        state: j.lastResult === "failed" ? "failed" : "",
      })),
    )),
    tables: (tables) => block("tables", "Tables", table(
      ["Table", "Rows", "Size", "Used"],
      tables.map((t) => ({ cells: [t.name, t.rows, t.size, `${Math.round((t.rows / t.size) * 100)}%`] })),
    )),
    cache: (c) => block("cache", "Cache", facts([
      ["entries", c.entries], ["memory", bytes(c.bytes)], ["hits", c.hits], ["misses", c.misses],
      ["evictions", c.evictions], ["expirations", c.expirations],
    ])),
    listeners: (listeners) => block("listeners", "Listeners", table(
      ["Protocol", "Address", "Module", "Served by"],
      listeners.map((l) => ({ cells: [l.protocol, `${l.host}:${l.port}`, l.module, l.servedBy] })),
    )),
    cluster: (c) => block("cluster", "Cluster", facts([["node", c.node], ["Redis", c.redis], ["state", c.state], ["link drops", c.linkDrops], ["last error", c.lastError || "-"]])),
  };
  dashboard.registerPanel({
    update(msg) {
      if (!msg.pools && !msg.facilities) return;
      const pools = (msg.pools || []).map(poolBlock);
      const facilities = Object.entries(msg.facilities || {}).filter(([name, value]) => value && FACILITIES[name]).map(([name, value]) => FACILITIES[name](value));
      $("beside").replaceChildren(...pools, ...facilities);
      $("panel-beside").hidden = pools.length + facilities.length === 0;
    },
  });

  // ---- charts ----
  const PALETTE = ["#2f6fde", "#e8710a", "#1e8e3e", "#9334e6", "#c5221f", "#12b5cb", "#b06000", "#5f6368"];
  const CLASS_COLOURS = ["#9aa0a6", "#1e8e3e", "#2f6fde", "#e8710a", "#c5221f"];
  const chartDefs = {
    requests: { unit: "req/s", series: () => [["requests/s", PALETTE[0]]], values: (s) => [s.rps] },
    latency: { unit: "ms", series: () => [["p50", PALETTE[2]], ["p95", PALETTE[1]], ["p99", PALETTE[4]]], values: (s) => [s.p50, s.p95, s.p99] },
    status: { unit: "/s", series: () => ["1xx", "2xx", "3xx", "4xx", "5xx"].map((c, i) => [c, CLASS_COLOURS[i]]), values: (s) => s.classes },
    memory: { unit: "MiB", series: () => dashboard.slots.map((id, i) => [`worker ${id}`, PALETTE[i % PALETTE.length]]), values: (s) => s.memory },
    lag: { unit: "ms", series: () => dashboard.slots.map((id, i) => [`worker ${id}`, PALETTE[i % PALETTE.length]]), values: (s) => s.lag },
  };
  const columns = {};

  // Which events get a line on the time axis, in which colour. Exits that a
  // reload or a stop asked for are listed, not drawn: the reload line says it.
  const CRASHES = ["crashed", "unresponsive", "boot-failed"];
  const RECYCLES = ["max-requests", "max-memory", "ttl", "replaced"];
  function markerColour(event) {
    if (event.kind === "reload") return "#2f6fde";
    if (CRASHES.includes(event.reason)) return "#c5221f";
    if (RECYCLES.includes(event.reason)) return "#e8a10a";
    return null;
  }

  function markerPlugin() {
    return {
      hooks: {
        draw: [(u) => {
          const { ctx, bbox } = u;
          for (const event of dashboard.events) {
            const t = event.at / 1000;
            const colour = markerColour(event);
            if (!colour || t < u.scales.x.min || t > u.scales.x.max) continue;
            const x = Math.round(u.valToPos(t, "x", true));
            ctx.save();
            ctx.strokeStyle = colour;
            ctx.lineWidth = Math.max(1, devicePixelRatio);
            ctx.setLineDash([5 * devicePixelRatio, 4 * devicePixelRatio]);
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            ctx.restore();
          }
        }],
      },
    };
  }

  function makeChart(name, history) {
    const def = chartDefs[name];
    const series = def.series();
    const data = [history.map((s) => s.t), ...series.map((_, i) => history.map((s) => def.values(s)[i] ?? null))];
    columns[name] = data;
    const box = $(`chart-${name}`);
    // A reconnection's hello brings the whole history again: start afresh.
    if (dashboard.charts[name]) dashboard.charts[name].destroy();
    box.replaceChildren();
    const opts = {
      width: Math.max(300, box.clientWidth),
      height: 170,
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
      axes: [{}, { size: 50, values: (u, ticks) => ticks.map((v) => `${+v.toFixed(2)}`) }],
      series: [{}, ...series.map(([label, stroke]) => ({ label, stroke, width: 1.5, spanGaps: false, value: (u, v) => (v == null ? "-" : `${v} ${def.unit}`) }))],
      plugins: [markerPlugin()],
    };
    dashboard.charts[name] = new uPlot(opts, data, box);
  }

  function pushSample(sample) {
    for (const name of Object.keys(chartDefs)) {
      const data = columns[name];
      if (!data) continue;
      const values = chartDefs[name].values(sample);
      data[0].push(sample.t);
      for (let i = 1; i < data.length; i++) data[i].push(values[i - 1] ?? null);
      if (data[0].length > WINDOW) for (const column of data) column.shift();
      dashboard.charts[name].setData(data);
    }
  }

  dashboard.registerPanel({
    hello(msg) {
      dashboard.slots = msg.slots;
      for (const name of Object.keys(chartDefs)) makeChart(name, msg.history.slice(-WINDOW));
    },
    tick(msg) {
      if (msg.sample) pushSample(msg.sample);
    },
  });
  new ResizeObserver(() => {
    for (const [name, chart] of Object.entries(dashboard.charts)) {
      const box = $(`chart-${name}`);
      if (box.clientWidth && Math.abs(box.clientWidth - chart.width) > 4) chart.setSize({ width: box.clientWidth, height: chart.height });
    }
  }).observe($("panel-charts"));

  // ---- events (exits and reloads; the same marks as on the charts) ----
  function renderEvents() {
    const items = dashboard.events.slice(-50).reverse().map((e) => el("li", `${new Date(e.at).toLocaleTimeString()} ${e.kind === "reload" ? "reload" : e.text}`));
    $("events").replaceChildren(...items);
  }
  dashboard.registerPanel({
    hello(msg) {
      dashboard.events = msg.events.slice();
      renderEvents();
    },
    tick(msg) {
      if (!msg.events || !msg.events.length) return;
      dashboard.events.push(...msg.events);
      dashboard.events = dashboard.events.slice(-200);
      renderEvents();
    },
  });

  // ---- configuration ----
  dashboard.registerPanel({
    hello(msg) {
      const config = msg.config;
      $("config-file").textContent = `Config file: ${config.file || "(none)"}`;
      $("config").tBodies[0].replaceChildren(...config.settings.map((s) => {
        const row = el("tr", undefined, s.source === "default" ? "" : "set");
        for (const text of [s.key, s.value, s.source, s.flag, s.env.join(", ")]) row.append(el("td", text));
        return row;
      }));
    },
  });

  // ---- actions behind a confirmation ----
  let pending = null;
  function confirmAction(text, url, name) {
    pending = { url, name };
    $("confirm-text").textContent = text;
    $("confirm-error").textContent = "";
    $("token").value = "";
    $("token-label").hidden = !!sessionStorage.getItem(TOKEN_KEY);
    $("confirm").showModal();
  }
  $("reload").addEventListener("click", () =>
    confirmAction("Reload every worker? Each is replaced in turn; requests keep being served.", "/api/reload", "reload"));
  $("confirm-cancel").addEventListener("click", () => $("confirm").close());
  $("confirm-ok").addEventListener("click", async () => {
    if (!pending) return;
    const typed = $("token").value.trim();
    if (typed) sessionStorage.setItem(TOKEN_KEY, typed);
    const token = sessionStorage.getItem(TOKEN_KEY) || "";
    const action = pending;
    $("confirm-ok").disabled = true;
    try {
      const response = await fetch(action.url, { method: "POST", headers: { authorization: `Bearer ${token}` } });
      const body = await response.json().catch(() => ({}));
      dashboard.lastAction = { name: action.name, status: response.status, body };
      if (response.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        $("token-label").hidden = false;
        $("confirm-error").textContent = body.error || "Refused";
        return;
      }
      $("confirm").close();
      toast(response.ok ? `${action.name}: done` : `${action.name}: ${body.error || response.status}`);
    } catch (error) {
      dashboard.lastAction = { name: action.name, status: 0, body: { error: String(error) } };
      $("confirm-error").textContent = String(error);
    } finally {
      $("confirm-ok").disabled = false;
    }
  });
  function toast(text) {
    const node = $("toast");
    node.textContent = text;
    node.classList.add("shown");
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => node.classList.remove("shown"), 4000);
  }

  // ---- the one event stream ----
  const badge = $("connection");
  const source = new EventSource("/api/events");
  const dispatch = (kind) => (event) => {
    const msg = JSON.parse(event.data);
    for (const panel of panels) {
      // One panel's fault must not stop the others (and the console shows it).
      try {
        if (panel[kind]) panel[kind](msg);
        if (panel.update) panel.update(msg);
      } catch (error) {
        console.error(error);
      }
    }
    if (kind === "tick") dashboard.ticks++;
    badge.textContent = "live";
    badge.className = "badge live";
  };
  source.addEventListener("hello", dispatch("hello"));
  source.addEventListener("tick", dispatch("tick"));
  // EventSource reconnects by itself (the stream's retry is 2 s) and the
  // reconnection gets a fresh hello with the whole history.
  source.onerror = () => {
    badge.textContent = "reconnecting";
    badge.className = "badge lost";
  };
})();
