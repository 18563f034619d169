import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeIssue, describeIssues, fieldPath, firstIssue } from "~/runtime/protocol/zod-issues";

describe("fieldPath", () => {
  it("writes a path as a person reads it", () => {
    expect(fieldPath(["links", 0, "container"])).toBe("links[0].container");
    expect(fieldPath(["ids", 1])).toBe("ids[1]");
    expect(fieldPath(["labels", "com.example/x"])).toBe('labels["com.example/x"]');
    expect(fieldPath([])).toBe("");
  });
});

describe("one zod-issue formatter", () => {
  const schema = z.object({ search: z.object({ q: z.string().max(3, "too long") }), ids: z.array(z.string().min(1, "is required")) });
  const error = schema.safeParse({ search: { q: "abcd" }, ids: ["a", ""] }).error!;

  it("names the field of the first issue", () => {
    expect(firstIssue(error)).toEqual({ field: "search.q", message: "search.q: too long" });
  });
  it("names every field when all issues are wanted", () => {
    expect(describeIssues(error)).toBe("search.q: too long; ids[1]: is required");
  });
  it("names the whole input when the issue is about it, and has no field then", () => {
    const whole = z.object({}).strict().safeParse("x").error!;
    expect(firstIssue(whole, "params")).toEqual({ message: `params: ${whole.issues[0].message}` });
    expect(describeIssue({ path: [], message: "bad" })).toEqual({ message: "bad" });
  });
  it("survives an error without issues", () => {
    expect(firstIssue({ issues: [] }, "body")).toEqual({ message: "body: is not valid" });
  });
});

describe("the tRPC error formatter speaks the same way", () => {
  it("names an array element as the downloads and the runtime do", async () => {
    const { TRPCError } = await import("@trpc/server");
    const { appRouter } = await import("~/server/api/routers/index");
    const cause = z.object({ ids: z.array(z.string().min(1, "is required")) }).safeParse({ ids: ["a", ""] }).error!;
    const error = new TRPCError({ code: "BAD_REQUEST", cause });
    const shape = { message: error.message, code: -32600, data: { code: "BAD_REQUEST", httpStatus: 400 } };
    const formatted = appRouter._def._config.errorFormatter({ shape, error, type: "mutation", path: "containers.bulk", input: undefined, ctx: undefined } as never) as {
      message: string;
      data: { field?: string };
    };
    expect(formatted.message).toBe("ids[1]: is required");
    expect(formatted.data.field).toBe("ids[1]");
  });
});
