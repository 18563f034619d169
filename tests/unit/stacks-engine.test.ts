/** The stack engine's pure parts: line diff, image repositories, dependency order, status, versions kept on disk. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dependencyOrder, projectStatus, type ProjectContainer } from "../../runtime/stacks/project-state";
import { repoOf } from "../../runtime/stacks/resources";
import { listVersions, MAX_VERSIONS, readVersion, recordVersion, stackDir } from "../../runtime/stacks/store";
import { lineDiff } from "../../runtime/stacks/versions";

describe("stack engine helpers", () => {
  it("diffs lines with their numbers in both texts", () => {
    expect(lineDiff("a\nb\nc\n", "a\nx\nc\n")).toEqual([
      { op: "same", text: "a", a: 1, b: 1 },
      { op: "remove", text: "b", a: 2 },
      { op: "add", text: "x", b: 2 },
      { op: "same", text: "c", a: 3, b: 3 },
    ]);
    expect(lineDiff("", "")).toEqual([]);
  });

  it("names an image's repository", () => {
    expect(repoOf("nginx")).toBe("nginx");
    expect(repoOf("nginx:1.27")).toBe("nginx");
    expect(repoOf("reg:5000/a/b:tag")).toBe("reg:5000/a/b");
    expect(repoOf("reg:5000/a/b@sha256:" + "0".repeat(64))).toBe("reg:5000/a/b");
  });

  it("orders services after their dependencies, the file's order otherwise", () => {
    const s = (name: string, deps: string[] = [], networkMode?: string) => ({ name, dependsOn: deps.map((d) => ({ service: d, condition: "service_started" as const })), networkMode });
    expect(dependencyOrder([s("web", ["api"]), s("api", ["db"]), s("db"), s("side", [], "service:web")]).map((x) => x.name)).toEqual(["db", "api", "web", "side"]);
    // A cycle (the loader refuses them) ends rather than looping.
    expect(dependencyOrder([s("a", ["b"]), s("b", ["a"])]).map((x) => x.name)).toEqual(["b", "a"]);
  });

  it("says running, partial, stopped or empty from the non-oneoff containers", () => {
    const c = (state: string, oneoff = false) => ({ state, oneoff }) as ProjectContainer;
    expect(projectStatus([])).toBe("empty");
    expect(projectStatus([c("exited", true)])).toBe("empty");
    expect(projectStatus([c("running"), c("running")])).toBe("running");
    expect(projectStatus([c("running"), c("exited")])).toBe("partial");
    expect(projectStatus([c("exited"), c("created")])).toBe("stopped");
  });

  it("keeps the newest versions and refuses a name that is not a project name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-unit-sv-"));
    try {
      for (let i = 0; i < MAX_VERSIONS + 2; i++) await recordVersion(dir, "app", { action: "deploy", file: `v${i}`, env: "", digests: {} });
      const list = await listVersions(dir, "app");
      expect(list).toHaveLength(MAX_VERSIONS);
      expect(list[0].version).toBe(MAX_VERSIONS + 2);
      expect(list.at(-1)?.version).toBe(3);
      expect(await readVersion(dir, "app", 1)).toBeUndefined();
      expect((await readVersion(dir, "app", MAX_VERSIONS + 2))?.file).toBe(`v${MAX_VERSIONS + 1}`);
      expect(() => stackDir(dir, "../etc")).toThrow(/not a compose project name/);
      expect(() => stackDir(dir, "A")).toThrow(/not a compose project name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
