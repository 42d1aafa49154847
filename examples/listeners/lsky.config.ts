import { defineConfig } from "lsky";

export default defineConfig({
  entry: "app.ts",
  workers: 2,
  listeners: [
    { port: 7000, protocol: "tcp", module: "./echo-tcp.ts" },
    { port: 7001, protocol: "udp", module: "./echo-udp.ts" },
  ],
});
