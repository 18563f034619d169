import { describe, expect, it } from "vitest";
import { isContainerRef, logsParamsSchema, methods } from "~/runtime/protocol/index";
import { firstIssue } from "~/runtime/protocol/zod-issues";
import { runSpecSchema } from "~/runtime/run-spec/schema";

/** Every input that names a container, as `field: problem` (or "ok"). */
function verdicts(ref: string) {
  const say = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => (r.success ? "ok" : firstIssue(r.error!).message);
  return {
    start: say(methods["containers.start"].safeParse({ id: ref })),
    inspect: say(methods["containers.inspect"].safeParse({ id: ref })),
    spec: say(methods["containers.spec"].safeParse({ id: ref })),
    bulk: say(methods["containers.bulk"].safeParse({ action: "stop", ids: ["web", ref] })),
    logs: say(logsParamsSchema.safeParse({ id: ref })),
    merged: say(logsParamsSchema.safeParse({ ids: ["web", ref] })),
    route: isContainerRef(ref) ? "ok" : "refused",
  };
}

describe("one container id schema", () => {
  it("takes the same references in every input, downloads included", () => {
    for (const ref of ["web", "a1b2c3", "x".repeat(64), `${"n".repeat(200)}`, "my_app.web-1"]) {
      expect(verdicts(ref), ref).toEqual({ start: "ok", inspect: "ok", spec: "ok", bulk: "ok", logs: "ok", merged: "ok", route: "ok" });
    }
  });
  it("refuses the same references everywhere, each message naming its field once", () => {
    const bad = "-web";
    expect(verdicts(bad)).toEqual({
      start: "id: must be a container id or name",
      inspect: "id: must be a container id or name",
      spec: "id: must be a container id or name",
      bulk: "ids[1]: must be a container id or name",
      logs: "id: must be a container id or name",
      merged: "ids[1]: must be a container id or name",
      route: "refused",
    });
    expect(verdicts("").start).toBe("id: is required");
    expect(verdicts("x".repeat(256))).toMatchObject({ start: "id: must be at most 255 characters", logs: "id: must be at most 255 characters", route: "refused" });
  });
});

describe("one container name schema", () => {
  it("gives a container the same names on create and on rename", () => {
    const named = (name: string) => [
      runSpecSchema.safeParse({ image: "busybox", name }).success,
      methods["containers.rename"].safeParse({ id: "web", name }).success,
    ];
    for (const ok of ["web", "my_app.web-1", "a1"]) expect(named(ok), ok).toEqual([true, true]);
    for (const bad of ["w", "-web", "a b", "web/1"]) expect(named(bad), bad).toEqual([false, false]);
  });
});
