/**
 * The tar entry checker every upload passes through (runtime/files/tar-guard.ts):
 * hostile tars built here are refused with the entry named and why, and nothing
 * from the refused entry on is passed on; a good tar passes byte-exact, however
 * it is cut into chunks.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tarStream from "tar-stream";
import { describe, expect, it } from "vitest";
import { EntryRefused, tarGuard } from "../../runtime/files/tar-guard";
import { TarParser } from "../../runtime/files/tar-parser";

type Entry = { name: string; type?: string; linkname?: string; body?: Buffer | string; devmajor?: number; devminor?: number };

async function makeTar(entries: Entry[]): Promise<Buffer> {
  const pack = tarStream.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => pack.on("end", resolve));
  for (const e of entries) {
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type: (e.type ?? "file") as "file", linkname: e.linkname, mode: 0o644, mtime: new Date(1_700_000_000_000), devmajor: e.devmajor, devminor: e.devminor };
      pack.entry(header, e.body ?? (e.type && e.type !== "file" ? undefined : ""), (err) => (err ? reject(err) : resolve()));
    });
  }
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** A PAX header (type x) with these raw records, then one entry. */
async function withPax(records: string, entry: Entry): Promise<Buffer> {
  const rec = Buffer.from(records);
  return makeTar([{ name: "PaxHeaders/x", type: "pax-header", body: rec }, entry]);
}

const paxRecord = (key: string, value: string) => {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return `${len}${body}`;
};

/** One USTAR header block, checksum included, written by hand (what tar-stream would not write). */
function rawHeader(name: string, flag: string, size: number, linkname = ""): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0);
  b.write("0000644\0", 100);
  b.write("0000000\0", 108);
  b.write("0000000\0", 116);
  b.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  b.write("14000000000\0", 136);
  b.write(flag, 156);
  b.write(linkname, 157);
  b.write("ustar\0", 257);
  b.write("00", 263);
  b.fill(0x20, 148, 156);
  const sum = b.reduce((a, x) => a + x, 0);
  b.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return b;
}

/** Pipes `tar` through the guard in `chunk`-byte pieces; what came out and the error, if any. */
async function guarded(tar: Buffer, chunk = 512): Promise<{ out: Buffer; error?: Error }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < tar.length; i += chunk) pieces.push(tar.subarray(i, i + chunk));
  const out: Buffer[] = [];
  try {
    await pipeline(Readable.from(pieces), tarGuard(), new Writable({ write: (c: Buffer, _e, cb) => (out.push(c), cb()) }));
    return { out: Buffer.concat(out) };
  } catch (error) {
    return { out: Buffer.concat(out), error: error as Error };
  }
}

async function refusal(entries: Entry[] | Buffer, entry: string, reason: RegExp): Promise<void> {
  const tar = Buffer.isBuffer(entries) ? entries : await makeTar(entries);
  for (const chunk of [1, 512, 10_000]) {
    const { error, out } = await guarded(tar, chunk);
    expect(error, `chunk ${chunk}`).toBeInstanceOf(EntryRefused);
    expect((error as EntryRefused).entry).toBe(entry);
    expect((error as EntryRefused).field).toBe("archive");
    expect(error!.message).toContain(JSON.stringify(entry));
    expect(error!.message).toMatch(reason);
    // Nothing of the refused entry (its header) was passed on.
    const names: string[] = [];
    const p = new TarParser({ entry: (h) => names.push(h.name) });
    try {
      p.write(out);
    } catch {
      // a partial archive: only the names read so far matter
    }
    expect(names).not.toContain(entry);
  }
}

describe("tar guard: hostile archives are refused, the entry named", () => {
  it("a .. component", async () => {
    await refusal([{ name: "ok.txt", body: "fine" }, { name: "../x", body: "evil" }], "../x", /"\.\."/);
    await refusal([{ name: "a/../../x", body: "evil" }], "a/../../x", /"\.\."/);
  });

  it("an absolute name", async () => {
    await refusal([{ name: "/etc/passwd", body: "root::0:0::/:/bin/sh\n" }], "/etc/passwd", /absolute name/);
  });

  it("an absolute symlink", async () => {
    await refusal([{ name: "root", type: "symlink", linkname: "/" }], "root", /absolute symlink/);
  });

  it("a symlink climbing out", async () => {
    await refusal([{ name: "up", type: "symlink", linkname: "../../.." }], "up", /outside the target directory/);
    await refusal([{ name: "d/", type: "directory" }, { name: "d/up", type: "symlink", linkname: "../.." }], "d/up", /outside/);
  });

  it("a symlink that escapes through an earlier symlink of the same archive", async () => {
    await refusal([{ name: "here", type: "symlink", linkname: "." }, { name: "parent", type: "symlink", linkname: "here/.." }], "parent", /outside/);
    await refusal([{ name: "a", type: "symlink", linkname: "b" }, { name: "b", type: "symlink", linkname: "a" }, { name: "c", type: "symlink", linkname: "a/x" }], "c", /outside/);
  });

  it("a later entry that makes an earlier, harmless symlink lead out", async () => {
    // `x -> y/..` is the target directory while y is a folder; once y is a link to ".", x is its parent.
    await refusal([{ name: "y/", type: "directory" }, { name: "x", type: "symlink", linkname: "y/.." }, { name: "y", type: "symlink", linkname: "." }], "y", /earlier symlink "x"/);
    // Or the reverse: a link it climbed through is replaced by a folder.
    await refusal([{ name: "y", type: "symlink", linkname: "c/d/e" }, { name: "x", type: "symlink", linkname: "y/../.." }, { name: "y/", type: "directory" }], "y/", /earlier symlink "x"/);
  });

  it("an archive whose links would take long to check is refused, quickly", async () => {
    const entries: Entry[] = [{ name: "a/", type: "directory" }];
    for (let i = 0; i < 3000; i++) entries.push({ name: `a/l${i}`, type: "symlink", linkname: `../b${i}` });
    const started = Date.now();
    const { error } = await guarded(await makeTar(entries), 65_536);
    expect(error?.message).toMatch(/too many or too deep to check|more than 1000 symlinks/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a hard link outside", async () => {
    await refusal([{ name: "pw", type: "link", linkname: "../../etc/passwd" }], "pw", /"\.\."/);
    await refusal([{ name: "pw", type: "link", linkname: "/etc/passwd" }], "pw", /absolute/);
    await refusal([{ name: "l", type: "symlink", linkname: "." }, { name: "d", type: "directory" }, { name: "pw", type: "link", linkname: "l/../x" }], "pw", /"\.\."/);
  });

  it("a NUL in a name (through a PAX path record)", async () => {
    await refusal(await withPax(paxRecord("path", "safe\0/../../etc/passwd"), { name: "innocent", body: "x" }), "safe\0/../../etc/passwd", /NUL/);
  });

  it("device files", async () => {
    await refusal([{ name: "null", type: "character-device", devmajor: 1, devminor: 3 }], "null", /device/);
    await refusal([{ name: "sda", type: "block-device", devmajor: 8, devminor: 0 }], "sda", /device/);
  });

  it("a PAX path that renames an innocent-looking header", async () => {
    await refusal(await withPax(paxRecord("path", "../escaped"), { name: "innocent.txt", body: "x" }), "../escaped", /"\.\."/);
  });

  it("a PAX size that would hide a header inside an entry's data", async () => {
    // The header says 0 bytes, PAX says 1024: the engine reads the next two blocks as data, so must we.
    const hidden = await makeTar([{ name: "../hidden", body: "evil" }]);
    const tar = await withPax(paxRecord("size", "1024"), { name: "a.txt", body: "" });
    const body = Buffer.concat([tar.subarray(0, tar.length - 1024), hidden.subarray(0, 1024), Buffer.alloc(1024)]);
    const { error } = await guarded(body);
    // Read as the engine would: hidden is data, and the archive then ends cleanly.
    expect(error).toBeUndefined();
  });

  it("a link header with a size carries no data (as the engine reads it): the next block is a header, and is checked", async () => {
    const tar = Buffer.concat([rawHeader("s", "2", 512, "ok"), rawHeader("../evil", "0", 0), Buffer.alloc(1024)]);
    const { error } = await guarded(tar);
    expect(error).toBeInstanceOf(EntryRefused);
    expect((error as EntryRefused).entry).toBe("../evil");
  });

  it("a GNU long name wins over a PAX path, as in Go", async () => {
    const long = Buffer.from("../via-gnu-long-name\0");
    const pad = Buffer.alloc((512 - (long.length % 512)) % 512);
    const pax = Buffer.from(paxRecord("path", "harmless"));
    const paxPad = Buffer.alloc((512 - (pax.length % 512)) % 512);
    const tar = Buffer.concat([rawHeader("././@PaxHeader", "x", pax.length), pax, paxPad, rawHeader("././@LongLink", "L", long.length), long, pad, rawHeader("short", "0", 0), Buffer.alloc(1024)]);
    const { error } = await guarded(tar);
    expect((error as EntryRefused).entry).toBe("../via-gnu-long-name");
  });

  it("a global PAX header setting a path", async () => {
    const tar = await makeTar([{ name: "g", type: "pax-global-header", body: paxRecord("path", "safe") }, { name: "../x", body: "e" }]);
    const { error } = await guarded(tar);
    expect(error).toBeInstanceOf(EntryRefused);
  });

  it("not a tar at all, or cut short", async () => {
    const { error } = await guarded(randomBytes(2048));
    expect(error?.message).toMatch(/^archive: not a valid tar archive/);
    const good = await makeTar([{ name: "a.txt", body: "x".repeat(3000) }]);
    const cut = await guarded(good.subarray(0, 1500));
    expect(cut.error?.message).toMatch(/truncated/);
    expect((cut.error as { field?: string }).field).toBe("archive");
    const empty = await guarded(Buffer.alloc(0));
    expect(empty.error?.message).toMatch(/empty/);
  });
});

describe("tar guard: a good archive passes byte-exact", () => {
  it("files, folders, long names, links inside, in any chunking", async () => {
    const big = randomBytes(300_000);
    const tar = await makeTar([
      { name: "./", type: "directory" },
      { name: "dir/", type: "directory" },
      { name: "dir/big.bin", body: big },
      { name: `dir/${"long-name-".repeat(20)}.txt`, body: "long" },
      { name: "dir/ünïcødé.txt", body: "utf8" },
      { name: "dir/link", type: "symlink", linkname: "big.bin" },
      { name: "dir/up", type: "symlink", linkname: "../dir/./big.bin" },
      { name: "top", type: "symlink", linkname: "dir/.." },
      { name: "hard", type: "link", linkname: "dir/big.bin" },
      { name: "empty.txt", body: "" },
    ]);
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    for (const chunk of [1, 7, 512, 4096, 65_536, tar.length]) {
      const { out, error } = await guarded(tar, chunk);
      expect(error, `chunk ${chunk}`).toBeUndefined();
      expect(sha(out)).toBe(sha(tar));
    }
  });
});
