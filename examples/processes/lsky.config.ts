import { defineConfig } from "lsky";

export default defineConfig({
  entry: "app.ts",
  workers: 2,
  // The heartbeat process counts its beats here; every worker reads them.
  tables: { beats: { size: 16, columns: { count: "int" } } },
  processes: {
    // A module process: lsky runs its start(ctx) and stop(ctx).
    heartbeat: { module: "./heartbeat.ts" },
    // A command process: any program; its output is relayed as [clock] lines.
    clock: { command: ["sh", "-c", "while true; do date -u +%H:%M:%S; sleep 5; done"], stopSignal: "SIGTERM" },
  },
});
