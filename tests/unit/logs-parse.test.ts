import { describe, expect, it } from "vitest";
import { DockerLogParser, type ParsedLine, tsToDockerTime } from "../../runtime/logs/parse";
import { buildMatcher, FilterError } from "../../runtime/logs/filter";

const TS = "2026-11-23T14:33:39.123456789Z";
const TS2 = "2026-11-23T14:33:39.223456789Z";
const frame = (stream: 1 | 2, payload: string | Buffer) => {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const h = Buffer.alloc(8);
  h[0] = stream;
  h.writeUInt32BE(body.length, 4);
  return Buffer.concat([h, body]);
};

/** Feeds `data` in pieces of every size from 1 to `max` bytes; all must parse the same. */
function parseInPieces(tty: boolean, data: Buffer, max = 13): ParsedLine[][] {
  const results: ParsedLine[][] = [];
  for (let size = 1; size <= max; size++) {
    const got: ParsedLine[] = [];
    const p = new DockerLogParser(tty, (l) => got.push(l));
    for (let i = 0; i < data.length; i += size) p.push(data.subarray(i, i + size));
    p.end();
    results.push(got);
  }
  return results;
}

describe("DockerLogParser", () => {
  it("demultiplexes frames split anywhere, keeps multi-byte characters and joins partial messages", () => {
    const euro = Buffer.from("€"); // 3 bytes, split across the two partial messages
    const data = Buffer.concat([
      frame(1, `${TS} héllo wörld\n`),
      frame(2, `${TS} to stderr\n`),
      frame(1, Buffer.concat([Buffer.from(`${TS} long `), euro.subarray(0, 2)])),
      frame(1, Buffer.concat([Buffer.from(`${TS2} `), euro.subarray(2), Buffer.from(" line\n")])),
      frame(1, `${TS2} no newline`),
    ]);
    for (const got of parseInPieces(false, data)) {
      expect(got).toEqual([
        { ts: TS, stream: 0, text: "héllo wörld" },
        { ts: TS, stream: 1, text: "to stderr" },
        { ts: TS, stream: 0, text: "long € line" },
        { ts: TS2, stream: 0, text: "no newline" },
      ]);
    }
  });

  it("reads a TTY's raw stream without demultiplexing, joining the driver's split by its stamp", () => {
    const data = Buffer.from(`${TS} first\r\n${TS} a long li${TS2} ne\r\n${TS2} last`);
    for (const got of parseInPieces(true, data, 40)) {
      expect(got.map((l) => [l.ts, l.text])).toEqual([
        [TS, "first\r"],
        [TS, "a long line\r"],
        [TS2, "last"],
      ]);
    }
  });

  it("converts stamps to the Engine API's seconds.nanoseconds", () => {
    expect(tsToDockerTime(TS)).toBe(`${Date.parse("2026-11-23T14:33:39Z") / 1000}.123456789`);
    expect(tsToDockerTime("2026-11-23T14:33:39Z")).toBe(`${Date.parse("2026-11-23T14:33:39Z") / 1000}.000000000`);
  });
});

describe("search matcher", () => {
  it("plain, case, regex and invert", () => {
    expect(buildMatcher({ q: "", regex: false, caseSensitive: false, invert: false })).toBeUndefined();
    const plain = buildMatcher({ q: "a.b", regex: false, caseSensitive: false, invert: false })!;
    expect([plain("xA.Bx"), plain("axb")]).toEqual([true, false]);
    const cased = buildMatcher({ q: "Err", regex: false, caseSensitive: true, invert: false })!;
    expect([cased("Err"), cased("err")]).toEqual([true, false]);
    const inv = buildMatcher({ q: "^\\d+$", regex: true, caseSensitive: false, invert: true })!;
    expect([inv("123"), inv("abc")]).toEqual([false, true]);
    expect(() => buildMatcher({ q: "(", regex: true, caseSensitive: false, invert: false })).toThrow(FilterError);
  });
});
