/**
 * The one backpressure policy of /api/ws (server/realtime/backpressure.ts), on
 * a real WebSocket over 127.0.0.1: a page that stops reading pauses every
 * subscription once PAUSE_ABOVE bytes wait, resumes them when it reads again,
 * and is dropped with 1013 past DROP_ABOVE.
 */
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { LIMITS, outbox } from "../../server/realtime/backpressure";

const servers: WebSocketServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    s.close();
  }
});

/** A server socket and a client socket that can stop reading (its TCP socket paused). */
async function pair(): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, perMessageDeflate: false });
  servers.push(wss);
  await new Promise((r) => wss.once("listening", r));
  const accepted = new Promise<WebSocket>((r) => wss.once("connection", r));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
  await new Promise((r, j) => client.once("open", r).once("error", j));
  return { server: await accepted, client };
}

const chunk = "x".repeat(64 * 1024);

describe("the /api/ws backpressure policy", () => {
  it("pauses above the high mark while the page does not read, and resumes once it has caught up", async () => {
    const { server, client } = await pair();
    const events: string[] = [];
    const out = outbox(server, { onPause: () => events.push("pause"), onResume: () => events.push("resume") });
    client.pause();
    for (let i = 0; !out.paused() && i < 1000; i++) out.send(chunk);
    expect(events).toEqual(["pause"]);
    expect(server.bufferedAmount).toBeGreaterThan(LIMITS.pauseAboveBytes);
    expect(server.bufferedAmount).toBeLessThan(LIMITS.pauseAboveBytes + chunk.length + 1024);

    client.resume();
    await expect.poll(() => events, { timeout: 5000 }).toEqual(["pause", "resume"]);
    expect(out.paused()).toBe(false);
    expect(server.readyState).toBe(WebSocket.OPEN);
    out.close();
  });

  it("drops a page that goes on not reading past the drop mark, with 1013", async () => {
    const { server, client } = await pair();
    const out = outbox(server, { onPause: () => undefined, onResume: () => undefined });
    client.pause();
    // What a channel that cannot pause would do: go on sending.
    for (let i = 0; server.readyState === WebSocket.OPEN && i < 2000; i++) out.send(chunk);
    expect(server.readyState).toBe(WebSocket.CLOSING);
    expect(server.bufferedAmount).toBeLessThan(LIMITS.dropAboveBytes + chunk.length + 1024);
    const closed = new Promise<number>((r) => client.once("close", (code) => r(code)));
    client.resume();
    expect(await closed).toBe(1013);
    out.close();
  });
});
