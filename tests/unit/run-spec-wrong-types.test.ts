/**
 * Every RunSpec field, at the top and inside its elements, given values of the
 * wrong type (as a raw JSON request can): validateRunSpec must answer with an
 * error naming that field, never throw from a rule that assumed the declared type.
 * Each value is tried in a bare spec and in one that switches the cross-field
 * rules on (memory set, a user network, on-failure restart…).
 */
import { describe, expect, test } from "vitest";
import { z } from "zod";
import { runSpecSchema, validateRunSpec } from "../../runtime/run-spec";

const wrongValues: unknown[] = [
  null, {}, [], [{}], 5, -1, 1.5, true, "x", "", { valueOf: 1 }, { toString: 1 }, { a: { b: 1 } }, [null], ["/x"],
];

/** A spec where most cross-field rules have something to compare against. */
const rich: Record<string, unknown> = {
  image: "nginx",
  network: "mynet",
  ip: "10.0.0.5",
  networkAliases: ["web"],
  memory: "1g",
  memoryReservation: "512m",
  memorySwap: "2g",
  cpus: 1,
  restart: "on-failure",
  restartMaxRetries: 3,
  ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 8081 }],
  volumes: [{ source: "data", target: "/data" }],
  mounts: [{ type: "bind", source: "/srv", target: "/srv" }],
  tmpfs: [{ target: "/run" }],
  env: ["A=1"],
  labels: { a: "b" },
  sysctls: { "net.ipv4.ip_forward": "1" },
  ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }],
  devices: [{ pathOnHost: "/dev/null" }],
  addHosts: [{ host: "h", ip: "10.0.0.1" }],
  securityOpt: ["no-new-privileges"],
  healthcheck: { interval: "5s", retries: 2 },
  logDriver: "json-file",
  logOpts: { "max-size": "1m" },
  pid: "host",
  ipc: "private",
  uts: "host",
  userns: "host",
  stopSignal: "SIGTERM",
};

/** A valid element for each list of objects, so one of its fields can be made wrong. */
const validElement: Record<string, Record<string, unknown>> = {
  ports: { containerPort: 80 },
  volumes: { target: "/v" },
  mounts: { type: "volume", target: "/m" },
  tmpfs: { target: "/t" },
  volumesFrom: { container: "other" },
  links: { container: "other" },
  addHosts: { host: "h", ip: "10.0.0.2" },
  ulimits: { name: "nproc", soft: 10 },
  devices: { pathOnHost: "/dev/zero" },
};

const unwrap = (s: z.ZodType): z.ZodType => (s instanceof z.ZodOptional ? (s.unwrap() as z.ZodType) : s);

interface Probe {
  /** The field as the error names it. */
  field: string;
  /** The spec with the wrong value put in. */
  spec: (base: Record<string, unknown>, value: unknown) => Record<string, unknown>;
  /** Whether the field's own schema accepts the value (then there is nothing to name). */
  accepts: (value: unknown) => boolean;
}

function probes(): Probe[] {
  const out: Probe[] = [];
  for (const [key, raw] of Object.entries(runSpecSchema.shape) as [string, z.ZodType][]) {
    const s = unwrap(raw);
    out.push({ field: key, spec: (base, value) => ({ ...base, [key]: value }), accepts: (v) => raw.safeParse(v).success });
    if (s instanceof z.ZodObject) {
      for (const [sub, subSchema] of Object.entries(s.shape as Record<string, z.ZodType>))
        out.push({
          field: `${key}.${sub}`,
          spec: (base, value) => ({ ...base, [key]: { ...((base[key] as object) ?? {}), [sub]: value } }),
          accepts: (v) => subSchema.safeParse(v).success,
        });
    }
    if (s instanceof z.ZodArray && s.element instanceof z.ZodObject) {
      const element = validElement[key];
      expect(element, `a valid ${key} element`).toBeDefined();
      expect(s.element.safeParse(element).success, `validElement.${key} is valid`).toBe(true);
      for (const [sub, subSchema] of Object.entries(s.element.shape as Record<string, z.ZodType>))
        out.push({
          field: `${key}[1].${sub}`,
          spec: (base, value) => ({ ...base, [key]: [element, { ...element, [sub]: value }] }),
          accepts: (v) => subSchema.safeParse(v).success,
        });
    }
  }
  return out;
}

describe("validateRunSpec: a value of the wrong type is an error naming its field", () => {
  const all = probes();

  test("the sweep covers every top-level field and the fields inside lists and groups", () => {
    const fields = new Set(all.map((p) => p.field));
    for (const key of Object.keys(runSpecSchema.shape)) expect(fields.has(key)).toBe(true);
    for (const nested of ["ports[1].hostPort", "mounts[1].tmpfsSize", "healthcheck.cmd", "gpus.count", "ulimits[1].soft"])
      expect(fields.has(nested)).toBe(true);
  });

  for (const [context, base] of [["a bare spec", { image: "nginx" }], ["a spec with the cross-field rules in play", rich]] as const) {
    test(`in ${context}`, () => {
      const failures: string[] = [];
      for (const probe of all) {
        for (const value of wrongValues) {
          const spec = probe.spec(base, value);
          const shown = `${probe.field} = ${JSON.stringify(value)}`;
          let result: ReturnType<typeof validateRunSpec>;
          try {
            result = validateRunSpec(spec);
          } catch (err) {
            failures.push(`${shown}: threw ${(err as Error).message}`);
            continue;
          }
          if (probe.accepts(value)) continue;
          const named = !result.ok && result.errors.some((e) => e.field === probe.field || e.field.startsWith(`${probe.field}.`) || e.field.startsWith(`${probe.field}[`));
          const started = !result.ok && result.errors.some((e) => e.message.startsWith(`${e.field}: `));
          if (!named || !started) failures.push(`${shown}: ${result.ok ? "accepted" : result.errors.map((e) => e.message).join(" | ")}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }

  test("cpuShares and pidsLimit stay within what the kernel takes", () => {
    const messages = (extra: Record<string, unknown>) => {
      const r = validateRunSpec({ image: "nginx", ...extra });
      return r.ok ? [] : r.errors.map((e) => e.message);
    };
    for (const ok of [0, 2, 1024, 262_144]) expect(messages({ cpuShares: ok })).toEqual([]);
    for (const bad of [1, 262_145, 789_539_177]) expect(messages({ cpuShares: bad })).toEqual(["cpuShares: must be between 2 and 262144 (or 0 for the default)"]);
    for (const ok of [-1, 0, 100, 4_194_304]) expect(messages({ pidsLimit: ok })).toEqual([]);
    expect(messages({ pidsLimit: 999_999_976 })).toEqual(["pidsLimit: must be at most 4194304 (the kernel's largest process count)"]);
  });

  test("the values the fuzz test found give a message naming the field", () => {
    const messages = (extra: Record<string, unknown>) => {
      const r = validateRunSpec({ image: "nginx", ...extra });
      return r.ok ? [] : r.errors.map((e) => e.message);
    };
    expect(messages({ memorySwap: {} })).toEqual(["memorySwap: must be a size like 1g, or -1 for unlimited swap"]);
    expect(messages({ memory: null })).toEqual(["memory: must be a size: bytes, or a number with a unit b, k, m, g (e.g. 512m)"]);
    expect(messages({ memory: { a: 1 }, memorySwap: "1g" })).toEqual([
      "memory: must be a size: bytes, or a number with a unit b, k, m, g (e.g. 512m)",
    ]);
    expect(messages({ network: { valueOf: 1 }, ip: "10.0.0.3" })).toEqual(["network: Invalid input: expected string, received object"]);
    expect(messages({ userns: { toString: 1 } })).toEqual(["userns: Invalid input: expected string, received object"]);
    // A refused field is not an absent one: no "needs on-failure" beside the restart error.
    expect(messages({ restart: 5, restartMaxRetries: 3 })).toEqual([
      "restart: must be one of no, always, on-failure, unless-stopped",
    ]);
  });
});
