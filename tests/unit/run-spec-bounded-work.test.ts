/**
 * Checking and converting a spec costs time in proportion to its size, whatever
 * it holds: the runtime does this work on its one event loop, so a spec of a few
 * megabytes that took seconds (or hours) held every other call. Sizes are what
 * a request body under the runtime's 4 MB limit carries.
 */
import { describe, expect, test } from "vitest";
import { crossFieldErrors, exposeError, runSpecSchema, toCreateRequest, validateRunSpec } from "../../runtime/run-spec";
import { MAX_SPEC_ENTRIES } from "../../runtime/run-spec/validate";

/** The linear code needs well under a second here, the quadratic code took 30 s and more. */
const BOUND_MS = 5_000;

function timed<T>(run: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = run();
  return { value, ms: performance.now() - t0 };
}

describe("run-spec: work in proportion to the spec", () => {
  test("65535 published host ports are checked for clashes in one pass", () => {
    const ports = Array.from({ length: 65_535 }, (_, i) => ({ hostIp: `127.0.${i >> 8}.${i & 255}`, hostPort: (i % 65_535) + 1, containerPort: 80 }));
    const { value, ms } = timed(() => crossFieldErrors({ image: "nginx", ports }));
    expect(value).toEqual([]);
    expect(ms).toBeLessThan(BOUND_MS);
  });

  test("4,900 refused list elements and 4,900 refused labels cost little more than the schema's own check", () => {
    const input = { image: "nginx", devices: Array.from({ length: 4_900 }, () => ({})), labels: Object.fromEntries(Array.from({ length: 4_900 }, (_, i) => [`l${i}`, i])) };
    const schemaOnly = timed(() => runSpecSchema.safeParse(input));
    const { value, ms } = timed(() => validateRunSpec(input));
    expect(value.ok).toBe(false);
    if (!value.ok) {
      const fields = new Set(value.errors.map((e) => e.field));
      expect(fields).toContain("devices[4899].pathOnHost");
      expect(fields).toContain("labels.l4899");
    }
    expect(ms).toBeLessThan(3 * schemaOnly.ms + BOUND_MS);
  });

  test("more than 10,000 entries in all are refused as a whole, naming the list that crosses the line", () => {
    const { value, ms } = timed(() => validateRunSpec({ image: "nginx", env: ["A=1"], devices: Array.from({ length: 300_000 }, () => ({})) }));
    expect(value).toEqual({ ok: false, errors: [{ field: "devices", message: `devices: the spec has more than ${MAX_SPEC_ENTRIES} entries in all (list entries and map keys together)` }] });
    expect(ms).toBeLessThan(BOUND_MS);
    const many = validateRunSpec({ image: "nginx", env: Array.from({ length: 6_000 }, (_, i) => `K${i}=v`), labels: Object.fromEntries(Array.from({ length: 6_000 }, (_, i) => [`l${i}`, "v"])) });
    expect(many.ok).toBe(false);
    if (!many.ok) expect(many.errors.map((e) => e.field)).toEqual([expect.stringMatching(/^(env|labels)$/)]);
    expect(validateRunSpec({ image: "nginx", env: Array.from({ length: 5_000 }, (_, i) => `K${i}=v`), labels: Object.fromEntries(Array.from({ length: 4_000 }, (_, i) => [`l${i}`, "v"])) }).ok).toBe(true);
  });

  test("60,000 volumes become binds in one pass", () => {
    // Past validateRunSpec's entry limit: the conversion itself must not be what holds the loop.
    const spec = runSpecSchema.parse({ image: "nginx", volumes: Array.from({ length: 60_000 }, (_, i) => ({ source: `/h${i}`, target: `/c${i}` })) });
    const { value, ms } = timed(() => toCreateRequest(spec));
    expect(value.body.HostConfig?.Binds).toHaveLength(60_000);
    expect(ms).toBeLessThan(BOUND_MS);
  });
});

describe("run-spec: port ranges", () => {
  test("expose takes ports 1–65535 and ranges that run upwards, as nat.ParsePortRange does", () => {
    expect(exposeError("80")).toBeUndefined();
    expect(exposeError("7000-7010/udp")).toBeUndefined();
    expect(exposeError("65535")).toBeUndefined();
    expect(exposeError("0")).toMatch(/between 1 and 65535/);
    expect(exposeError("65536")).toMatch(/between 1 and 65535/);
    expect(exposeError("68738815-7971374985")).toMatch(/between 1 and 65535/);
    expect(exposeError("9000-8000")).toMatch(/must end at or after its start/);
    expect(exposeError("80/icmp")).toMatch(/must be a port or range/);
  });

  test("ports and expose together name at most 65535 ports; the error names the field that crosses it", () => {
    const errorsOf = (spec: Record<string, unknown>) => {
      const r = validateRunSpec({ image: "nginx", ...spec });
      return r.ok ? [] : r.errors.map((e) => e.field);
    };
    expect(errorsOf({ ports: [{ containerPort: 1, containerPortEnd: 65_535 }] })).toEqual([]);
    expect(errorsOf({ ports: [{ containerPort: 1, containerPortEnd: 65_535 }], expose: ["80"] })).toEqual(["expose"]);
    expect(errorsOf({ ports: [{ containerPort: 1, containerPortEnd: 65_535 }, { containerPort: 80 }] })).toEqual(["ports"]);
    expect(errorsOf({ expose: ["1-40000", "1-40000/udp"] })).toEqual(["expose"]);
    // Counted, never expanded: 9,000 full ranges would be 590 million entries.
    expect(errorsOf({ expose: Array.from({ length: 9_000 }, () => "1-65535") })).toEqual(["expose"]);
  });
});
