/**
 * The one path normaliser of file browsing (runtime/files/paths.ts) and the
 * input schemas built on it: absolute, normalised, no NUL, no `..`, bounded.
 */
import { describe, expect, it } from "vitest";
import { fileNameProblem, inVolume, normalisePath } from "../../runtime/files/paths";
import { filesMethods } from "../../runtime/files/protocol";
import { firstIssue } from "../../runtime/protocol/zod-issues";

const ok = (raw: string) => {
  const r = normalisePath(raw);
  if (!r.ok) throw new Error(`refused ${JSON.stringify(raw)}: ${r.message}`);
  return r.path;
};
const refused = (raw: string) => {
  const r = normalisePath(raw);
  if (r.ok) throw new Error(`accepted ${JSON.stringify(raw)} as ${r.path}`);
  return r.message;
};

describe("normalisePath", () => {
  it("normalises slashes and dots", () => {
    expect(ok("/")).toBe("/");
    expect(ok("//")).toBe("/");
    expect(ok("/etc/")).toBe("/etc");
    expect(ok("/./etc//nginx/./conf.d/")).toBe("/etc/nginx/conf.d");
    expect(ok("/a b/ü/é.txt")).toBe("/a b/ü/é.txt");
    expect(ok("/...")).toBe("/...");
    expect(ok("/..a/b..")).toBe("/..a/b..");
  });

  it("refuses relative paths, NUL, .. segments and over-long paths", () => {
    expect(refused("")).toMatch(/required/);
    expect(refused("etc")).toMatch(/absolute/);
    expect(refused("./etc")).toMatch(/absolute/);
    expect(refused("/etc\0/passwd")).toMatch(/NUL/);
    expect(refused("/..")).toMatch(/\.\./);
    expect(refused("/etc/../../root")).toMatch(/\.\./);
    expect(refused("/a/b/..")).toMatch(/\.\./);
    expect(refused(`/${"a".repeat(256)}`)).toMatch(/255/);
    expect(refused(`/${"a/".repeat(2100)}`)).toMatch(/4096/);
    expect(ok(`/${"a".repeat(255)}`)).toHaveLength(256);
  });

  it("maps volume paths under /volume", () => {
    expect(inVolume("/")).toBe("/volume");
    expect(inVolume("/a/b")).toBe("/volume/a/b");
  });

  it("file names: one component", () => {
    expect(fileNameProblem("report.pdf")).toBeUndefined();
    expect(fileNameProblem("")).toMatch(/required/);
    expect(fileNameProblem("a/b")).toMatch(/\//);
    expect(fileNameProblem("..")).toMatch(/\.\./);
    expect(fileNameProblem(".")).toBeDefined();
    expect(fileNameProblem("a\0b")).toMatch(/NUL/);
    expect(fileNameProblem("x".repeat(256))).toMatch(/255/);
  });

  it("the method schemas refuse with the field named", () => {
    const bad = filesMethods["files.list"].safeParse({ id: "web", path: "/etc/../root" });
    expect(bad.success).toBe(false);
    if (!bad.success) expect(firstIssue(bad.error).field).toBe("path");
    const badTo = filesMethods["files.volumeRename"].safeParse({ id: "data", path: "/a", to: "b" });
    expect(badTo.success).toBe(false);
    if (!badTo.success) expect(firstIssue(badTo.error).field).toBe("to");
    const badVolume = filesMethods["files.volumeList"].safeParse({ id: "../x", path: "/" });
    expect(badVolume.success).toBe(false);
    if (!badVolume.success) expect(firstIssue(badVolume.error).field).toBe("id");
    expect(filesMethods["files.volumeList"].safeParse({ id: "data", path: "/a/./b/" }).success).toBe(true);
  });
});
