/**
 * The create form's resolver (react-hook-form through @hookform/resolvers/zod):
 * every check the form makes ends up as an error under its field, readable back
 * by its exact path, with all the messages a field has.
 */
import type { FieldErrors, FieldValues, ResolverOptions } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { allMessages, messagesFor, messagesUnder } from "../../app/_components/form/field-errors";
import { compactSpec, createFormResolver, type CreateChecks } from "../../app/_features/containers/create/form-checks";
import type { ContainerSummary } from "../../runtime/protocol/index";

const web: ContainerSummary = {
  id: "web-id", name: "web", image: "nginx", imageId: "sha256:x", command: "", created: 0, state: "running", status: "",
  ports: [{ ip: "0.0.0.0", privatePort: 80, publicPort: 8080, type: "tcp" }], networks: [], labels: {},
};
const checks: CreateChecks = { networks: [{ name: "appnet", driver: "bridge", subnets: ["10.231.220.0/24"] }], containers: [web], local: {} };
const options = { fields: {}, shouldUseNativeValidation: false, criteriaMode: "all" } as ResolverOptions<FieldValues>;

async function resolve(values: FieldValues, with_: Partial<CreateChecks> = {}) {
  const r = await createFormResolver(() => ({ ...checks, ...with_ }))(values, undefined, options);
  return r as { values: FieldValues; errors: FieldErrors };
}

describe("the create form's resolver", () => {
  it("a valid spec passes, as the spec without the fields set back to nothing", async () => {
    const r = await resolve({ image: "busybox", detach: true, memory: undefined, name: "ok-name" });
    expect(r.errors).toEqual({});
    expect(r.values).toEqual({ image: "busybox", detach: true, name: "ok-name" });
    expect(Object.keys(compactSpec({ a: 1, b: undefined }))).toEqual(["a"]);
  });

  it("schema, cross-field, engine and line errors each name their field", async () => {
    const r = await resolve(
      {
        image: "busybox", name: "x", memory: "12x", restartMaxRetries: 3,
        network: "appnet", ip: "10.231.221.5",
        ports: [{ containerPort: 80, hostPort: 9000 }, { containerPort: 80, hostPort: 8080 }],
      },
      { local: { sysctls: "sysctls: line 1: \"a\" must be key=value" } },
    );
    const { errors } = r;
    expect(messagesFor(errors, "memory")).toEqual([expect.stringMatching(/^memory: invalid size "12x"/)]);
    expect(messagesFor(errors, "name").join()).toContain("Docker refuses this name");
    expect(messagesFor(errors, "restartMaxRetries").join()).toMatch(/^restartMaxRetries: /);
    expect(messagesFor(errors, "ip")).toEqual(["ip: 10.231.221.5 is outside network appnet's subnet 10.231.220.0/24"]);
    expect(messagesFor(errors, "ports[1].hostPort")).toEqual(["ports[1].hostPort: host port 8080/tcp is already allocated by container web"]);
    // Under a list item, not under its neighbour, and not the list's own field.
    expect(messagesUnder(errors, "ports[1]")).toHaveLength(1);
    expect(messagesUnder(errors, "ports[0]")).toEqual([]);
    expect(messagesFor(errors, "ports")).toEqual([]);
    expect(messagesFor(errors, "sysctls")).toEqual(['sysctls: line 1: "a" must be key=value']);
    // Everything, for the list shown after Create; only touched fields before.
    const named = ["memory", "name", "restartMaxRetries", "ip", "ports[1].hostPort", "sysctls"].flatMap((f) => messagesFor(errors, f));
    expect([...allMessages(errors)].sort()).toEqual([...named].sort());
    expect(allMessages(errors, (top) => top === "memory")).toHaveLength(1);
  });

  it("two errors on one field are both kept", async () => {
    const { errors } = await resolve({ image: "busybox", ports: [{ containerPort: 80, hostPort: 8080 }] }, { local: { "ports[0].hostPort": "ports[0].hostPort: typed twice" } });
    expect(messagesFor(errors, "ports[0].hostPort")).toEqual([
      "ports[0].hostPort: host port 8080/tcp is already allocated by container web",
      "ports[0].hostPort: typed twice",
    ]);
  });
});
