/**
 * What the image upload routes accept before anything reaches the runtime:
 * build options from a query or the editor's JSON (made into a tar), import
 * options; every refusal names its field.
 */
import { describe, expect, it } from "vitest";
import tar from "tar-stream";
import { buildOptionsFromQuery, contextTar, editorBuildFromJson, importOptionsFromQuery, RequestProblem } from "~/server/images/build-request";
import { contextPathProblem } from "~/runtime/images/protocol";

const problem = (fn: () => unknown): RequestProblem => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RequestProblem);
    return err as RequestProblem;
  }
  throw new Error("expected a refusal");
};

async function entries(stream: NodeJS.ReadableStream): Promise<Record<string, { text: string; mode?: number }>> {
  const extract = tar.extract();
  const out: Record<string, { text: string; mode?: number }> = {};
  extract.on("entry", (header, s, next) => {
    const chunks: Buffer[] = [];
    s.on("data", (c: Buffer) => chunks.push(c));
    s.on("end", () => {
      out[header.name] = { text: Buffer.concat(chunks).toString("utf8"), mode: header.mode };
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", reject);
    stream.pipe(extract);
  });
  return out;
}

describe("context paths", () => {
  it.each([
    ["Dockerfile", undefined],
    ["sub/dir/file.txt", undefined],
    ["./a", undefined],
    ["../Dockerfile", "no .."],
    ["a/../../b", "no .."],
    ["/etc/passwd", "absolute"],
    ["C:\\x", "absolute"],
    ["a\\b", "use /"],
    ["a\u0000b", "control"],
    [".", "must name a file"],
  ])("%j", (p, want) => {
    const r = contextPathProblem(p);
    if (want === undefined) expect(r).toBeUndefined();
    else expect(r).toContain(want);
  });
});

describe("build options from the query", () => {
  it("reads several tags, the Dockerfile path, build args, target and flags", () => {
    const q = new URLSearchParams([["tags", "web:1"], ["tags", "web:latest"], ["dockerfile", "ops/Dockerfile"], ["buildArgs", '{"V":"1"}'], ["target", "final"], ["noCache", "1"], ["pull", "false"]]);
    expect(buildOptionsFromQuery(q)).toEqual({ tags: ["web:1", "web:latest"], dockerfile: "ops/Dockerfile", buildArgs: { V: "1" }, target: "final", noCache: true, pull: false });
  });
  it("defaults", () => {
    expect(buildOptionsFromQuery(new URLSearchParams())).toEqual({ tags: [], dockerfile: "Dockerfile", buildArgs: {}, noCache: false, pull: false });
  });
  it.each([
    [[["dockerfile", "../x"]], "dockerfile"],
    [[["tags", "ok"], ["tags", "Bad Tag"]], "tags[1]"],
    [[["buildArgs", "{"]], "buildArgs"],
    [[["buildArgs", '{"a-b":"1"}']], "buildArgs"],
    [[["buildArgs", '["x"]']], "buildArgs"],
    [[["noCache", "maybe"]], "noCache"],
    [[["target", "../x"]], "target"],
  ])("refuses %j naming %s", (pairs, field) => {
    const p = problem(() => buildOptionsFromQuery(new URLSearchParams(pairs as [string, string][])));
    expect(p.field?.startsWith(field)).toBe(true);
    expect(p.message.startsWith(field)).toBe(true);
  });
});

describe("the editor's JSON build", () => {
  const body = (o: Record<string, unknown>) => JSON.stringify({ dockerfileText: "FROM busybox\n", ...o });

  it("becomes a tar with the Dockerfile and the files", async () => {
    const b = editorBuildFromJson(body({ tags: ["web:1"], files: [{ path: "app/run.sh", contentBase64: Buffer.from("echo hi").toString("base64"), mode: 0o755 }] }));
    expect(b.tags).toEqual(["web:1"]);
    const got = await entries(contextTar(b));
    expect(got.Dockerfile!.text).toBe("FROM busybox\n");
    expect(got["app/run.sh"]).toEqual({ text: "echo hi", mode: 0o755 });
  });

  it.each([
    [body({ files: [{ path: "../escape", contentBase64: "" }] }), "files[0].path"],
    [body({ files: [{ path: "/abs", contentBase64: "" }] }), "files[0].path"],
    [body({ files: [{ path: "a", contentBase64: "" }, { path: "./a", contentBase64: "" }] }), "files[1].path"],
    [body({ files: [{ path: "Dockerfile", contentBase64: "" }] }), "files[0].path"],
    [body({ files: [{ path: "a", contentBase64: "not base64!" }] }), "files[0].contentBase64"],
    [body({ dockerfileText: "" }), "dockerfileText"],
    [body({ dockerfile: "../Dockerfile" }), "dockerfile"],
    [body({ extra: 1 }), ""],
    ["{", ""],
  ])("refuses %s naming %j", (text, field) => {
    const p = problem(() => editorBuildFromJson(text));
    if (field) {
      expect(p.field).toBe(field);
      expect(p.message.startsWith(field)).toBe(true);
    }
  });
});

describe("import options from the query", () => {
  it("reads repository, tag, message and several changes", () => {
    const q = new URLSearchParams([["repository", "me/app"], ["tag", "v1"], ["message", "hi"], ["changes", 'CMD ["sh"]'], ["changes", "ENV A=1"]]);
    expect(importOptionsFromQuery(q)).toEqual({ repository: "me/app", tag: "v1", message: "hi", changes: ['CMD ["sh"]', "ENV A=1"] });
  });
  it.each([
    [[["changes", "RUN rm -rf /"]], "changes[0]"],
    [[["changes", "CMD"]], "changes[0]"],
    [[["changes", "ENV A=1"], ["changes", "FROM x"]], "changes[1]"],
    [[["tag", "v1"]], "repository"],
    [[["repository", "Bad Name"]], "repository"],
    [[["repository", "a"], ["tag", ".x"]], "tag"],
    [[["message", "a\u0001"]], "message"],
  ])("refuses %j naming %s", (pairs, field) => {
    const p = problem(() => importOptionsFromQuery(new URLSearchParams(pairs as [string, string][])));
    expect(p.field).toBe(field);
  });
});
