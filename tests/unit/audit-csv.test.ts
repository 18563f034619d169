import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "../../server/audit-csv";
import { auditFilterSchema, auditWhere } from "../../server/audit-query";

describe("audit CSV", () => {
  it("quotes cells holding commas, quotes and line breaks, doubling the quotes", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rhere")).toBe('"cr\rhere"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(new Date("2026-11-30T12:00:00Z"))).toBe("2026-11-30T12:00:00.000Z");
  });

  it("defuses cells a spreadsheet would run as a formula", () => {
    expect(csvCell("=HYPERLINK(\"http://evil\",\"x\")")).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell("+1+1")).toBe("'+1+1");
    expect(csvCell("-2+3")).toBe("'-2+3");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\t=1")).toBe("'\t=1");
    expect(csvCell("a=1")).toBe("a=1");
  });

  it("ends each record with CRLF, and a row round-trips through a strict parser", () => {
    const line = csvLine([1, "x,y", 'q"', "=cmd", null]);
    expect(line).toBe('1,"x,y","q""",\'=cmd,\r\n');
    // A minimal RFC 4180 reader: the cells come back (with the formula guard).
    const cells: string[] = [];
    let cur = "";
    let quoted = false;
    const body = line.slice(0, -2);
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (quoted) {
        if (ch === '"' && body[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        cells.push(cur);
        cur = "";
      } else cur += ch;
    }
    cells.push(cur);
    expect(cells).toEqual(["1", "x,y", 'q"', "'=cmd", ""]);
  });
});

describe("audit filters", () => {
  it("names the field of a bad filter", () => {
    const bad = (v: unknown) => auditFilterSchema.safeParse(v).error?.issues[0]?.path.join(".");
    expect(bad({ from: "yesterday-ish" })).toBe("from");
    expect(bad({ to: "x".repeat(65) })).toBe("to");
    expect(bad({ from: "2026-11-30T00:00:00Z", to: "2026-11-01T00:00:00Z" })).toBe("to");
    expect(bad({ outcome: "maybe" })).toBe("outcome");
    expect(bad({ user: "u".repeat(65) })).toBe("user");
    expect(bad({ target: "t".repeat(257) })).toBe("target");
    expect(auditFilterSchema.safeParse({ user: "adm", outcome: "denied", from: "2026-11-01T00:00:00Z" }).success).toBe(true);
  });

  it("turns the filter into one condition per field given", () => {
    expect(auditWhere({})).toEqual({});
    const w = auditWhere({ user: "adm", outcome: "ok", from: "2026-11-01T00:00:00Z" }) as { AND: unknown[] };
    expect(w.AND).toEqual([{ username: { startsWith: "adm" } }, { outcome: "ok" }, { at: { gte: new Date("2026-11-01T00:00:00Z") } }]);
  });
});
