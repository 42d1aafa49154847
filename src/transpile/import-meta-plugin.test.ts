import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pinImportMeta } from "./import-meta-plugin.ts";

describe("pinImportMeta", () => {
  test("replaces url, dirname and filename with the module's own", () => {
    const source = "const a = import.meta.url; const b = import.meta.dirname; const c = import.meta.filename;";
    assert.equal(
      pinImportMeta(source, "/srv/app/lib/mod.ts"),
      'const a = "file:///srv/app/lib/mod.ts"; const b = "/srv/app/lib"; const c = "/srv/app/lib/mod.ts";',
    );
  });

  test("encodes the URL and quotes paths safely", () => {
    assert.equal(pinImportMeta("import.meta.url", '/srv/my app/"q".ts'), JSON.stringify("file:///srv/my%20app/%22q%22.ts"));
    assert.equal(pinImportMeta("import.meta.filename", '/srv/"q".ts'), '"/srv/\\"q\\".ts"');
  });

  test("leaves the rest of import.meta alone", () => {
    const source = "import.meta.resolve('x'); import.meta.env; import.meta.urlish;";
    assert.equal(pinImportMeta(source, "/a.ts"), source);
  });
});
