import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { lskyInstalledFrom, NODE_RESOLVE_HOOK } from "./lsky-import.ts";

test("lskyInstalledFrom: node_modules/lsky in the folder or one above, with its package.json", () => {
  const root = mkdtempSync(join(tmpdir(), "lsky-import-unit-"));
  try {
    const nested = join(root, "app", "src");
    mkdirSync(nested, { recursive: true });
    assert.equal(lskyInstalledFrom(nested), false);
    mkdirSync(join(root, "node_modules", "lsky"), { recursive: true });
    assert.equal(lskyInstalledFrom(nested), false, "an empty folder is not a package");
    writeFileSync(join(root, "node_modules", "lsky", "package.json"), '{"name":"lsky"}');
    assert.equal(lskyInstalledFrom(nested), true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

type Next = (specifier: string, context: object) => Promise<{ url: string }>;
interface Hook {
  initialize(data: { url: string }): void;
  resolve(specifier: string, context: object, next: Next): Promise<{ url: string; shortCircuit?: boolean }>;
}

async function loadHook(): Promise<Hook> {
  const hook = await import(`data:text/javascript,${encodeURIComponent(NODE_RESOLVE_HOOK)}`) as Hook;
  hook.initialize({ url: "file:///run/lsky-app.mjs" });
  return hook;
}

const notFound = () => Promise.reject(Object.assign(new Error("Cannot find package 'lsky'"), { code: "ERR_MODULE_NOT_FOUND" }));

test("the Node resolve hook answers only a failed resolution of exactly \"lsky\"", async () => {
  const hook = await loadHook();
  assert.deepEqual(await hook.resolve("lsky", {}, notFound), { url: "file:///run/lsky-app.mjs", format: "module", shortCircuit: true });
  const installed: Next = async () => ({ url: "file:///app/node_modules/lsky/dist/lsky-lib.mjs" });
  assert.equal((await hook.resolve("lsky", {}, installed)).url, "file:///app/node_modules/lsky/dist/lsky-lib.mjs");
  await assert.rejects(hook.resolve("lsky/sub", {}, notFound), { code: "ERR_MODULE_NOT_FOUND" });
  await assert.rejects(hook.resolve("hono", {}, notFound), { code: "ERR_MODULE_NOT_FOUND" });
  const broken: Next = () => Promise.reject(Object.assign(new Error("bad exports"), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" }));
  await assert.rejects(hook.resolve("lsky", {}, broken), { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
});
