import { describe, expect, it } from "vitest";
import { redact } from "../../server/audit";
import { parseEnv } from "../../server/env";
import { mintTicket, redeemTicket } from "../../server/realtime/tickets";
import { originAllowed } from "../../server/realtime/origin";
import type { IncomingMessage } from "node:http";

const user = { id: "u1", username: "admin", role: "admin" };

describe("audit redaction", () => {
  it("keeps inputs but never their secrets", () => {
    expect(redact({ username: "a", password: "p", nested: [{ setupToken: "t", name: "n" }] })).toEqual({
      username: "a",
      password: "[redacted]",
      nested: [{ setupToken: "[redacted]", name: "n" }],
    });
  });
});

describe("environment", () => {
  it("defaults", () => {
    const env = parseEnv({} as NodeJS.ProcessEnv);
    expect(env.BERTH_PORT).toBe(9000);
    expect(env.dataDir).toMatch(/\/data$/);
  });
  it("names the bad variable", () => {
    expect(() => parseEnv({ BERTH_PORT: "70000" } as unknown as NodeJS.ProcessEnv)).toThrow(/BERTH_PORT/);
    expect(() => parseEnv({ BERTH_RUNTIME_LISTEN: "nonsense" } as unknown as NodeJS.ProcessEnv)).toThrow(/BERTH_RUNTIME_LISTEN/);
  });
});

describe("WebSocket tickets", () => {
  it("are single use", () => {
    const { ticket } = mintTicket(user);
    expect(ticket.length).toBeGreaterThanOrEqual(20);
    expect(redeemTicket(ticket)).toEqual(user);
    expect(redeemTicket(ticket)).toBeNull();
    expect(redeemTicket("made-up")).toBeNull();
    expect(redeemTicket(undefined)).toBeNull();
  });
});

describe("Origin check", () => {
  const req = (origin: string | undefined, host = "berth.local:9000") =>
    ({ headers: { origin, host } }) as unknown as IncomingMessage;
  it("accepts the page's own origin", () => {
    expect(originAllowed(req("http://berth.local:9000"), [])).toBe(true);
    expect(originAllowed(req("https://berth.local:9000"), [])).toBe(true);
  });
  it("refuses other or missing origins", () => {
    expect(originAllowed(req("http://evil.example"), [])).toBe(false);
    expect(originAllowed(req("http://berth.local:9001"), [])).toBe(false);
    expect(originAllowed(req(undefined), [])).toBe(false);
    expect(originAllowed(req("null"), [])).toBe(false);
  });
  it("accepts listed extra origins", () => {
    expect(originAllowed(req("https://berth.example.com"), ["https://berth.example.com"])).toBe(true);
  });
});
