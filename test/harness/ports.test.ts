import assert from "node:assert/strict";
import { test } from "node:test";
import { ephemeralStart, freePort, portIsFree } from "./ports.ts";

test("freePort gives a port below the kernel's ephemeral range, free to listen on", async () => {
  const below = ephemeralStart();
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  for (const port of ports) {
    assert.ok(port >= 10_000 && port < below, `${port} is from 10000 up to ${below}, where no outgoing connection takes its local port`);
    assert.equal(await portIsFree(port), true);
  }
});
