import assert from "node:assert/strict";
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { isLskyError } from "./errors.ts";
import { contentHash, ensurePrivateDir, privateDirProblem, writeCachedFile } from "./private-dir.ts";

const root = mkdtempSync(join(tmpdir(), "lsky-private-dir-"));
after(() => rmSync(root, { recursive: true, force: true }));
const uid = process.getuid!();
let count = 0;
const fresh = () => join(root, `case-${++count}`);

function refusal(dir: string): string {
  try {
    ensurePrivateDir(dir, "LSKY_RUNTIME_DIR");
  } catch (error) {
    assert.ok(isLskyError(error), String(error));
    assert.equal(error.code, "UNSAFE_DIRECTORY");
    assert.equal(error.exitCode, 1);
    assert.ok(error.message.includes(`"${dir}"`), error.message);
    assert.match(error.hint ?? "", /LSKY_RUNTIME_DIR/);
    return error.message;
  }
  assert.fail(`${dir} was accepted`);
}

test("a missing directory is created with mode 0700 and accepted", () => {
  const dir = join(fresh(), "nested", "lsky-0");
  assert.equal(ensurePrivateDir(dir), dir);
  const info = lstatSync(dir);
  assert.ok(info.isDirectory());
  assert.equal(info.mode & 0o777, 0o700);
  assert.equal(ensurePrivateDir(dir), dir, "an existing private directory is reused");
});

test("a symbolic link is refused, even to a private directory of this user", () => {
  const target = fresh();
  mkdirSync(target, { mode: 0o700 });
  const link = fresh();
  symlinkSync(target, link);
  assert.match(refusal(link), /it is a symbolic link/);
  const dangling = fresh();
  symlinkSync(join(root, "nowhere"), dangling);
  assert.match(refusal(dangling), /it is a symbolic link/);
});

test("a file where the directory should be is refused", () => {
  const file = fresh();
  writeFileSync(file, "");
  assert.match(refusal(file), /it is not a directory/);
});

test("a directory of another user is refused (chown to uid 65534 stands for another user)", { skip: uid !== 0 && "needs root to chown" }, () => {
  const dir = fresh();
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, 65534, 65534);
  assert.match(refusal(dir), new RegExp(`belongs to uid 65534, not to uid ${uid}`));
});

test("any group or other permission bit is refused", () => {
  for (const mode of [0o750, 0o705, 0o710, 0o701, 0o777, 0o1777]) {
    const dir = fresh();
    mkdirSync(dir);
    chmodSync(dir, mode);
    assert.match(refusal(dir), /open to other users \(lsky needs 0700\)/, mode.toString(8));
  }
});

test("privateDirProblem judges lstat results alone", () => {
  const stats = (mode: number, owner: number, kind: "dir" | "link" | "file") => ({
    mode, uid: owner, isSymbolicLink: () => kind === "link", isDirectory: () => kind === "dir",
  });
  assert.equal(privateDirProblem(stats(0o40700, 7, "dir"), 7), undefined);
  assert.match(privateDirProblem(stats(0o40700, 8, "dir"), 7)!, /uid 8/);
  assert.match(privateDirProblem(stats(0o40720, 7, "dir"), 7)!, /0720/);
  assert.match(privateDirProblem(stats(0o120777, 7, "link"), 7)!, /symbolic link/);
  assert.match(privateDirProblem(stats(0o100600, 7, "file"), 7)!, /not a directory/);
});

test("writeCachedFile reuses a file only when it holds exactly the content", () => {
  const dir = ensurePrivateDir(fresh());
  const text = "export default 1;\n";
  const name = `app-${contentHash(text)}.mjs`;
  const file = writeCachedFile(dir, name, text);
  assert.equal(file, join(dir, name));
  assert.equal(lstatSync(file).mode & 0o777, 0o600);
  const inode = lstatSync(file).ino;
  assert.equal(writeCachedFile(dir, name, text), file);
  assert.equal(lstatSync(file).ino, inode, "the same content is not written again");

  // A planted file of the same name (another content) is replaced, never used.
  writeFileSync(file, "globalThis.planted = true;\n");
  writeCachedFile(dir, name, text);
  assert.equal(readFileSync(file, "utf8"), text);
});

test("writeCachedFile replaces a link or a file others may write, even with the right content", () => {
  const dir = ensurePrivateDir(fresh());
  const text = "export default 2;\n";
  const elsewhere = join(root, "elsewhere.mjs");
  writeFileSync(elsewhere, text);
  symlinkSync(elsewhere, join(dir, "linked.mjs"));
  const linked = writeCachedFile(dir, "linked.mjs", text);
  assert.ok(lstatSync(linked).isFile(), "the link became a file of lsky's own");

  writeFileSync(join(dir, "shared.mjs"), text);
  chmodSync(join(dir, "shared.mjs"), 0o666);
  const shared = writeCachedFile(dir, "shared.mjs", text);
  assert.equal(lstatSync(shared).mode & 0o777, 0o600);
  assert.equal(readFileSync(shared, "utf8"), text);
});
