/**
 * A browser-less client of `/api/ws` for the protocol tests: an API client signs
 * in, takes a single-use ticket and opens the socket with the page's Origin, as
 * a page would.
 */
import { expect } from "@playwright/test";
import WebSocket from "ws";
import { serverFrameSchema, type ServerFrame } from "../../server/realtime/protocol";
import { Jar, signIn, trpc, type Client } from "../support/auth-client";
import { ADMIN, baseUrl } from "./env";

/** A new API client signed in as the administrator. */
export async function adminClient(): Promise<Client> {
  const c: Client = { base: baseUrl(), jar: new Jar() };
  expect((await signIn(c, ADMIN.username, ADMIN.password)).status).toBe(200);
  return c;
}

/** An open socket on /api/ws for a signed-in client; `listen` hears every frame from the first (hello) on. */
export async function hubSocket(c: Client, listen?: (data: WebSocket.RawData, isBinary: boolean) => void): Promise<WebSocket> {
  const reply = await trpc(c, "ws.ticket", null, "mutation");
  expect(reply.status, reply.body).toBe(200);
  const { ticket } = JSON.parse(reply.body).result.data.json as { ticket: string };
  const ws = new WebSocket(`${baseUrl().replace(/^http/, "ws")}/api/ws?ticket=${ticket}`, { headers: { Origin: baseUrl() } });
  if (listen) ws.on("message", listen);
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  return ws;
}

/** An open socket whose JSON frames are collected, each checked against the protocol (`invalid` holds the rest). */
export async function hubPeer(c?: Client): Promise<{ frames: ServerFrame[]; invalid: string[]; ws: WebSocket }> {
  const frames: ServerFrame[] = [];
  const invalid: string[] = [];
  const ws = await hubSocket(c ?? (await adminClient()), (data, isBinary) => {
    if (isBinary) return;
    const parsed = serverFrameSchema.safeParse(JSON.parse(String(data)));
    if (parsed.success) frames.push(parsed.data);
    else invalid.push(String(data).slice(0, 300));
  });
  return { frames, invalid, ws };
}
