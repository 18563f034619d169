import { expect, test, type Page } from "@playwright/test";
import WebSocket from "ws";
import { baseUrl } from "./env";
import { signIn } from "./helpers";

/** Mints a ticket as the signed-in page would. */
async function ticket(page: Page): Promise<string> {
  const res = await page.request.post("/api/trpc/ws.ticket", { data: { json: null } });
  expect(res.status()).toBe(200);
  return (await res.json()).result.data.json.ticket;
}

/** Tries an upgrade; resolves to the HTTP status it was refused with, or 101. */
function upgrade(query: string, origin: string | undefined): Promise<{ status: number; first?: unknown }> {
  return new Promise((resolve, reject) => {
    const url = `${baseUrl().replace(/^http/, "ws")}/api/ws${query}`;
    const ws = new WebSocket(url, { headers: origin ? { Origin: origin } : {} });
    ws.on("unexpected-response", (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on("message", (data) => {
      resolve({ status: 101, first: JSON.parse(String(data)) });
      ws.close();
    });
    ws.on("error", (err) => reject(err));
  });
}

test("WebSocket upgrades need a fresh ticket and the page's own Origin", async ({ page }) => {
  await signIn(page, "/");
  const origin = baseUrl();
  expect((await upgrade("", origin)).status).toBe(401);
  expect((await upgrade("?ticket=made-up-ticket", origin)).status).toBe(401);

  const t1 = await ticket(page);
  expect((await upgrade(`?ticket=${t1}`, "http://evil.example")).status).toBe(403);
  expect((await upgrade(`?ticket=${t1}`, undefined)).status).toBe(403);

  const t2 = await ticket(page);
  const ok = await upgrade(`?ticket=${t2}`, origin);
  expect(ok.status).toBe(101);
  expect(ok.first).toMatchObject({ type: "hello", user: "admin" });
  // Single use: the same ticket again is refused.
  expect((await upgrade(`?ticket=${t2}`, origin)).status).toBe(401);
});
