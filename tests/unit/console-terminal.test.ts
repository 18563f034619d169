/**
 * The pure parts of terminals on `/api/ws`: the binary frame (id length, id,
 * payload), the terminal control and params schemas (field-named refusals),
 * and how a typed command becomes `docker exec` arguments.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCast } from "../../app/_features/console-recordings/parse-cast";
import { commandWords } from "../../app/_features/containers/console/command-words";
import { execMethods, execParamsSchema, terminalControlSchema } from "../../runtime/exec/protocol";
import { firstIssue } from "../../runtime/protocol/zod-issues";
import { decodeBinaryFrame, encodeBinaryFrame } from "../../server/realtime/binary-frame";
import { clientMessageSchema } from "../../server/realtime/protocol";

describe("binary frame", () => {
  it("round-trips any id of 1..64 bytes and any payload", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 16 }).filter((s) => new TextEncoder().encode(s).length <= 64), fc.uint8Array({ maxLength: 2000 }), (id, payload) => {
        const frame = encodeBinaryFrame(id, payload);
        expect(frame[0]).toBe(new TextEncoder().encode(id).length);
        const d = decodeBinaryFrame(frame);
        expect(d.ok).toBe(true);
        if (!d.ok) return;
        expect(d.id).toBe(id);
        expect(Buffer.from(d.payload).equals(Buffer.from(payload))).toBe(true);
      }),
    );
  });

  it("lays out byte 0 = length, then the id, then the payload", () => {
    expect([...encodeBinaryFrame("ab", new Uint8Array([0, 255]))]).toEqual([2, 97, 98, 0, 255]);
    expect([...encodeBinaryFrame("é", new Uint8Array())]).toEqual([2, 0xc3, 0xa9]);
  });

  it("refuses ids that are empty, too long, cut short or not UTF-8, naming id", () => {
    expect(() => encodeBinaryFrame("", new Uint8Array())).toThrow(/id/);
    expect(() => encodeBinaryFrame("x".repeat(65), new Uint8Array())).toThrow(/id/);
    for (const bad of [[], [0], [65, 1, 2], [5, 97, 98], [2, 0xc3, 0x28]]) {
      const d = decodeBinaryFrame(new Uint8Array(bad));
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.message).toMatch(/^id: /);
    }
  });
});

describe("terminal control", () => {
  const field = (v: unknown) => {
    const r = terminalControlSchema.safeParse(v);
    return r.success ? "ok" : firstIssue(r.error).field;
  };
  it("takes resize, pause and resume", () => {
    expect(field({ type: "resize", cols: 80, rows: 24 })).toBe("ok");
    expect(field({ type: "pause" })).toBe("ok");
    expect(field({ type: "resume" })).toBe("ok");
  });
  it("refuses bad sizes and unknown types naming the field", () => {
    expect(field({ type: "resize", cols: 0, rows: 24 })).toBe("cols");
    expect(field({ type: "resize", cols: 80, rows: 1e9 })).toBe("rows");
    expect(field({ type: "resize", cols: 80.5, rows: 2 })).toBe("cols");
    expect(field({ type: "shout" })).toBe("type");
    expect(terminalControlSchema.safeParse({ type: "pause", extra: 1 }).success).toBe(false);
  });
  it("is carried by a page's control message for one subscription", () => {
    expect(clientMessageSchema.safeParse({ type: "control", id: "t1", data: { type: "resize", cols: 1, rows: 1 } }).success).toBe(true);
    expect(clientMessageSchema.safeParse({ type: "control", id: "", data: {} }).success).toBe(false);
    expect(clientMessageSchema.safeParse({ type: "control", id: "t1", data: "x" }).success).toBe(false);
  });
});

describe("exec params", () => {
  const field = (v: unknown) => {
    const r = execParamsSchema.safeParse(v);
    return r.success ? "ok" : firstIssue(r.error).field;
  };
  it("defaults to /bin/sh at 80x24", () => {
    expect(execParamsSchema.parse({ id: "web" })).toMatchObject({ cmd: ["/bin/sh"], cols: 80, rows: 24 });
  });
  it("refuses NULs, relative workdirs, odd users, huge lists and unknown keys naming the field", () => {
    expect(field({ id: "web", cmd: ["sh", "a\0"] })).toBe("cmd[1]");
    expect(field({ id: "web", cmd: [] })).toBe("cmd");
    expect(field({ id: "web", cmd: [" "] })).toBe("cmd[0]");
    expect(field({ id: "web", cmd: Array(300).fill("x") })).toBe("cmd");
    expect(field({ id: "web", cmd: ["x".repeat(5000)] })).toBe("cmd[0]");
    expect(field({ id: "web", workdir: "../etc" })).toBe("workdir");
    expect(field({ id: "web", user: "root\0" })).toBe("user");
    expect(field({ id: "web", user: "a b" })).toBe("user");
    expect(field({ id: "web", environment: ["NOEQUALS"] })).toBe("environment[0]");
    expect(field({ id: "web", cols: 0 })).toBe("cols");
    expect(field({ id: "../x" })).toBe("id");
    expect(execParamsSchema.safeParse({ id: "web", tty: false }).success).toBe(false);
  });
  it("exec.run caps its timeout", () => {
    const r = execMethods["exec.run"].safeParse({ id: "web", cmd: ["ls"], timeoutMs: 3_600_000 });
    expect(r.success ? "ok" : firstIssue(r.error).field).toBe("timeoutMs");
  });
});

describe("commandWords", () => {
  it("splits plain words as a shell would", () => {
    expect(commandWords("ls -la '/my dir'")).toEqual(["ls", "-la", "/my dir"]);
    expect(commandWords("  ")).toEqual([]);
  });
  it("hands what only a shell can do to sh -c, unchanged", () => {
    expect(commandWords("echo $((6*7))")).toEqual(["/bin/sh", "-c", "echo $((6*7))"]);
    expect(commandWords("ls | wc -l")).toEqual(["/bin/sh", "-c", "ls | wc -l"]);
    expect(commandWords("ls *.txt")).toEqual(["/bin/sh", "-c", "ls *.txt"]);
    expect(commandWords("a && b")).toEqual(["/bin/sh", "-c", "a && b"]);
  });
});

describe("parseCast (the recording viewer)", () => {
  it("reads the header, output and resize events, and skips what it cannot read", () => {
    const text = [
      JSON.stringify({ version: 2, width: 100, height: 30, timestamp: 1764500000, command: "/bin/sh", title: "web" }),
      JSON.stringify([0.1, "o", "$ "]),
      "not json",
      JSON.stringify([0.2, "i", "secret"]),
      JSON.stringify([0.3, "r", "120x40"]),
      JSON.stringify([0.4, "r", "0x40"]),
      JSON.stringify([0.5, "o", "é"]),
      "",
    ].join("\n");
    const cast = parseCast(text);
    expect(cast.header).toEqual({ width: 100, height: 30, timestamp: 1764500000, command: "/bin/sh", title: "web" });
    expect(cast.events).toEqual([
      { kind: "o", at: 0.1, data: "$ " },
      { kind: "r", at: 0.3, cols: 120, rows: 40 },
      { kind: "r", at: 0.4, cols: 100, rows: 40 },
      { kind: "o", at: 0.5, data: "é" },
    ]);
  });
  it("a file that is not a cast is an empty session at 80x24", () => {
    expect(parseCast("garbage")).toEqual({ header: { width: 80, height: 24, timestamp: 0, command: "", title: "" }, events: [] });
  });
});
