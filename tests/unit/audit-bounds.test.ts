import { describe, expect, it } from "vitest";
import { boundedDetails, DETAILS_MAX, listedDetails, truncate } from "../../server/audit-bounds";
import { redact } from "../../server/audit";

describe("audit bounds", () => {
  it("cuts to the limit, marked, without splitting a surrogate pair", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcdef", 4)).toBe("abc…");
    const cut = truncate(`ab${"😀".repeat(10)}`, 4);
    expect(cut.length).toBeLessThanOrEqual(4);
    expect(cut).toBe("ab…");
  });

  it("replaces lone surrogates, which Prisma's engine cannot take, in columns and details", () => {
    const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
    expect(truncate("berth-fuzz-\ud800", 256)).toBe("berth-fuzz-\ufffd");
    expect(truncate("\udfff".repeat(10), 4)).toBe("\ufffd\ufffd\ufffd…");
    expect(truncate("ok 😀", 256)).toBe("ok 😀");
    const details = boundedDetails({ id: "x\ud800", ["k\udc00"]: ["\udbff"] }, redact);
    expect(JSON.parse(details)).toEqual({ id: "x\ufffd", ["k\ufffd"]: ["\ufffd"] });
    expect(/\\u[dD][89a-fA-F]/.test(details)).toBe(false);
    expect(wellFormed(details)).toBe(true);
  });

  it("keeps details valid JSON under the cap, whatever the input", () => {
    const inputs: unknown[] = [
      { id: "x".repeat(1_000_000) },
      { list: Array.from({ length: 10_000 }, (_, i) => `item ${i} ${"y".repeat(500)}`) },
      { quotes: '"'.repeat(100_000), ctl: "\u0001".repeat(100_000) },
      JSON.parse(`${"[".repeat(5000)}1${"]".repeat(5000)}`),
    ];
    for (const input of inputs) {
      const text = boundedDetails(input, redact);
      expect(text.length).toBeLessThanOrEqual(DETAILS_MAX);
      expect(() => JSON.parse(text)).not.toThrow();
    }
    const wrapped = JSON.parse(boundedDetails({ list: Array.from({ length: 100 }, () => "z".repeat(1000)) }, redact));
    expect(wrapped).toMatchObject({ truncated: true });
    expect(typeof wrapped.preview).toBe("string");
  });

  it("still redacts secrets, and a stored legacy text is capped as valid JSON", () => {
    expect(JSON.parse(boundedDetails({ password: "hunter2", name: "n" }, redact))).toEqual({ password: "[redacted]", name: "n" });
    const legacy = JSON.stringify({ a: "q".repeat(50_000) }).slice(0, 20_000);
    expect(() => JSON.parse(boundedDetails(legacy, (v) => v, true))).not.toThrow();
    expect(listedDetails("x".repeat(600))).toMatchObject({ truncated: true });
  });
});
