/**
 * tRPC's transformer: an answer holding Docker labels named `constructor`,
 * `prototype` or `__proto__` (legal in Docker) goes through intact, as own
 * properties, without touching any prototype; everything else is superjson's
 * usual output.
 */
import { describe, expect, it } from "vitest";
import superjson from "superjson";
import { wireTransformer } from "../../server/api/wire-transformer";

const roundTrip = (v: unknown) => wireTransformer.deserialize(JSON.parse(JSON.stringify(wireTransformer.serialize(v))));

describe("the wire transformer", () => {
  it("is superjson's own output when no key is risky (Dates kept)", () => {
    const v = { at: new Date(0), labels: { a: "1" } };
    expect(wireTransformer.serialize(v)).toEqual(superjson.serialize(v));
    expect(roundTrip(v)).toEqual(v);
  });

  it("carries labels named constructor, prototype and __proto__ as own properties", () => {
    const labels = JSON.parse('{"constructor":"c","prototype":"p","__proto__":"x","ok":"1"}') as Record<string, string>;
    expect(() => superjson.serialize({ labels })).toThrow(/prototype pollution/);
    const back = roundTrip({ networks: [{ name: "n", labels, created: new Date(5) }] }) as { networks: { labels: Record<string, string>; created: Date }[] };
    const got = back.networks[0]!;
    expect(Object.keys(got.labels).sort()).toEqual(["__proto__", "constructor", "ok", "prototype"]);
    expect(Object.getOwnPropertyDescriptor(got.labels, "__proto__")?.value).toBe("x");
    expect(got.labels.constructor).toBe("c");
    expect(Object.getPrototypeOf(got.labels)).toBe(Object.prototype);
    expect(got.created).toEqual(new Date(5));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an object as __proto__ value does not become a prototype", () => {
    const v = JSON.parse('{"m":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}}') as unknown;
    const back = roundTrip(v) as { m: Record<string, unknown> };
    expect(Object.getPrototypeOf(back.m)).toBe(Object.prototype);
    expect((back.m as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(back.m, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("a key that already ends with the escape mark survives unchanged", () => {
    const mark = "\u0000berth";
    const v = JSON.parse(`{"labels":{"constructor":"c","a${"\\u0000"}berth":"kept"}}`) as { labels: Record<string, string> };
    const back = roundTrip(v) as { labels: Record<string, string> };
    expect(back.labels[`a${mark}`]).toBe("kept");
    expect(back.labels.constructor).toBe("c");
  });
});
