/**
 * The Console tab (docker exec in xterm.js over /api/ws) and the terminal frames
 * of the stream protocol: in a browser, Connect, type `echo $((6*7))`, read 42
 * from the terminal, disconnect and find no shell left; Run command shows output
 * and exit code; the session is in the audit. Then the protocol spoken directly
 * (no browser): binary frames both ways, byte-exact, resize, control refusals
 * naming the field, unsubscribe ending the shell, and the audit row's details.
 */
import { expect, type Page, test } from "@playwright/test";
import WebSocket from "ws";
import { decodeBinaryFrame, encodeBinaryFrame } from "../../server/realtime/binary-frame";
import { type ClientMessage, serverFrameSchema, type ServerFrame } from "../../server/realtime/protocol";
import { Jar, send, signIn as apiSignIn, trpc, type Client } from "../support/auth-client";
import { ADMIN, baseUrl } from "./env";
import { docker, dockerQuiet, signIn } from "./helpers";

const NAME = `e2e-console-${process.pid}`;

test.beforeAll(() => {
  dockerQuiet("rm", "-f", NAME);
  docker("run", "-d", "--name", NAME, "busybox", "sleep", "600");
});
test.afterAll(() => dockerQuiet("rm", "-f", NAME));

const shells = () => docker("top", NAME, "-o", "pid,args").split("\n").filter((l) => /\/bin\/sh/.test(l));

interface AuditItem { action: string; outcome: string; targetId: string | null; targetName: string | null; username: string | null; details: string | null }

async function auditOf(c: Client, action: string): Promise<AuditItem[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { action, limit: 50 } }));
  const reply = await send(c, "GET", `/api/trpc/audit.list?input=${input}`);
  expect(reply.status, reply.body).toBe(200);
  return (JSON.parse(reply.body).result.data.json as { items: AuditItem[] }).items;
}

/** Signs in on the container's Console tab, connects, and focuses the terminal. */
async function connect(page: Page) {
  await signIn(page, `/e/local/containers/${NAME}/console`);
  // The page's header has its own (network) Connect/Disconnect: the console's are in its form.
  const controls = page.getByRole("form", { name: "Console" });
  await controls.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.getByRole("status", { name: "Console status" })).toHaveText(`Connected to ${NAME}.`);
  const terminal = page.getByRole("region", { name: "Terminal" });
  await terminal.click();
  return { controls, terminal };
}

test("Console: connect, echo $((6*7)) shows 42, disconnect ends the shell; Run command; audit", async ({ page }) => {
  const { controls, terminal } = await connect(page);
  await page.keyboard.type("echo $((6*7))");
  await page.keyboard.press("Enter");
  // The echoed command holds no "42": only the shell's answer does.
  await expect(terminal.locator(".xterm-rows")).toContainText("42");
  expect(shells().length).toBe(1);

  await controls.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect.poll(() => shells().length, { timeout: 10_000 }).toBe(0);

  await page.getByLabel("Command to run").fill("sh -c 'echo out-$((2+3)); echo oops >&2; exit 3'");
  await page.getByRole("region", { name: "Run command" }).getByRole("button", { name: "Run", exact: true }).click();
  const result = page.locator(".run-once-result");
  await expect(result.getByRole("status")).toHaveText("Exit code: 3");
  await expect(page.getByLabel("Standard output")).toHaveText("out-5\n");
  await expect(page.getByLabel("Standard error")).toHaveText("oops\n");

  await page.goto("/audit");
  const table = page.getByRole("table", { name: "Audit entries" });
  const rows = table.locator("tr", { hasText: "container.exec" }).filter({ hasText: NAME });
  // One for the console session, one for Run command.
  await expect(rows).toHaveCount(2);
  await expect(rows.first().getByRole("cell", { name: "ok", exact: true })).toBeVisible();
});

test("Console flow control: a flood neither freezes the tab nor grows its memory, and Ctrl-C stops it at once", async ({ page }) => {
  test.setTimeout(120_000);
  const { controls, terminal } = await connect(page);
  await page.keyboard.type("yes 0123456789abcdefghijklmnopqrstuvwxyz");
  await page.keyboard.press("Enter");
  await expect(terminal.locator(".xterm-rows")).toContainText("0123456789abcdefghijklmnopqrstuvwxyz");
  const heap = () => page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
  const startHeap = await heap();
  // The terminal pauses the stream when it falls behind, and what it has not drawn yet stays bounded: the
  // high mark (256 KB) plus what was already on its way (the dashboard pauses a page's streams at 4 MB unsent).
  let most = 0;
  const flows = new Set<string | null>();
  const sample = async () => {
    const [pending, flow] = await terminal.evaluate((el: HTMLElement) => [el.dataset.pending, el.dataset.flow]);
    most = Math.max(most, Number(pending));
    flows.add(flow ?? null);
  };
  // The tab answers while the flood goes on.
  for (let i = 0; i < 6; i++) {
    const t0 = Date.now();
    await page.evaluate(() => 1);
    expect(Date.now() - t0).toBeLessThan(2000);
    await sample();
    await page.waitForTimeout(250);
  }
  // A slow machine's tab: xterm now draws far slower than the container writes.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 6 });
  for (let i = 0; i < 6; i++) {
    await sample();
    await page.waitForTimeout(250);
  }
  expect(most).toBeGreaterThan(0);
  expect(flows.has("paused")).toBe(true);
  expect(most).toBeLessThan(8 << 20);
  expect(await heap()).toBeLessThan(startHeap + (64 << 20));
  // Little is buffered anywhere: Ctrl-C stops the output and the prompt comes back promptly.
  await page.keyboard.press("Control+C");
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 });
  await page.keyboard.type("echo done-$((20+22))");
  await page.keyboard.press("Enter");
  await expect(terminal.locator(".xterm-rows")).toContainText("done-42", { timeout: 10_000 });
  await controls.getByRole("button", { name: "Disconnect", exact: true }).click();
  await expect.poll(() => shells().length, { timeout: 10_000 }).toBe(0);
});

test("Console Attach: typing reaches a TTY container's main process; Detach leaves it running", async ({ page }) => {
  const tty = `${NAME}-tty`;
  dockerQuiet("rm", "-f", tty);
  docker("run", "-d", "-i", "-t", "--name", tty, "busybox", "sh");
  try {
    await signIn(page, `/e/local/containers/${tty}/console`);
    const controls = page.getByRole("form", { name: "Console" });
    await controls.getByRole("button", { name: "Attach", exact: true }).click();
    await expect(page.getByRole("status", { name: "Console status" })).toHaveText(`Connected to ${tty}.`);
    await page.getByRole("region", { name: "Terminal" }).click();
    await page.keyboard.type("echo att-$((5*5))");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("region", { name: "Terminal" }).locator(".xterm-rows")).toContainText("att-25");
    await controls.getByRole("button", { name: "Detach", exact: true }).click();
    await page.waitForTimeout(1000);
    expect(docker("inspect", "-f", "{{.State.Running}}", tty)).toBe("true");
  } finally {
    dockerQuiet("rm", "-f", tty);
  }
});

class Peer {
  readonly frames: ServerFrame[] = [];
  readonly bytes = new Map<string, Buffer[]>();
  private constructor(private readonly ws: WebSocket) {
    ws.on("message", (data, isBinary) => {
      const buf = data as Buffer;
      if (isBinary) {
        const d = decodeBinaryFrame(buf);
        if (!d.ok) throw new Error(d.message);
        this.bytes.set(d.id, [...(this.bytes.get(d.id) ?? []), Buffer.from(d.payload)]);
        return;
      }
      this.frames.push(serverFrameSchema.parse(JSON.parse(String(buf))));
    });
  }
  static async open(c: Client): Promise<Peer> {
    const reply = await trpc(c, "ws.ticket", null, "mutation");
    const { ticket } = JSON.parse(reply.body).result.data.json as { ticket: string };
    const ws = new WebSocket(`${baseUrl().replace(/^http/, "ws")}/api/ws?ticket=${ticket}`, { headers: { Origin: baseUrl() } });
    const peer = new Peer(ws);
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    return peer;
  }
  send(msg: ClientMessage): void {
    this.ws.send(JSON.stringify(msg));
  }
  input(id: string, text: string | Buffer): void {
    this.ws.send(encodeBinaryFrame(id, typeof text === "string" ? Buffer.from(text) : text));
  }
  raw(data: Buffer): void {
    this.ws.send(data);
  }
  output(id: string): Buffer {
    return Buffer.concat(this.bytes.get(id) ?? []);
  }
  close(): void {
    this.ws.close();
  }
}

test("terminal frames on /api/ws: binary both ways, resize, refusals naming the field, audit details", async () => {
  const c: Client = { base: baseUrl(), jar: new Jar() };
  expect((await apiSignIn(c, ADMIN.username, ADMIN.password)).status).toBe(200);
  const peer = await Peer.open(c);

  // Byte-exact: every byte value, and UTF-8, through runtime → dashboard → page.
  const all = Array.from({ length: 256 }, (_, i) => `\\${i.toString(8).padStart(3, "0")}`).join("");
  peer.send({ type: "subscribe", id: "bytes", channel: "exec", env: "local", params: { id: NAME, cmd: ["sh", "-c", `stty raw -echo; printf '${all}'; printf 'é€😀'`] } });
  await expect.poll(() => peer.frames.some((f) => f.type === "closed" && f.id === "bytes"), { timeout: 15_000 }).toBe(true);
  const want = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from("é€😀")]);
  expect(peer.output("bytes").equals(want)).toBe(true);
  const exit = peer.frames.find((f) => f.type === "frame" && f.id === "bytes" && f.data.type === "exit");
  expect(exit).toMatchObject({ channel: "exec", data: { type: "exit", code: 0 } });

  // Interactive: input as binary frames, size by control.
  peer.send({ type: "subscribe", id: "sh", channel: "exec", env: "local", params: { id: NAME, cols: 100, rows: 40 } });
  peer.input("sh", "echo $((6*7))\n");
  await expect.poll(() => peer.output("sh").toString(), { timeout: 15_000 }).toContain("42");
  peer.send({ type: "control", id: "sh", data: { type: "resize", cols: 120, rows: 50 } });
  await new Promise((r) => setTimeout(r, 300));
  peer.input("sh", "stty size\n");
  await expect.poll(() => peer.output("sh").toString(), { timeout: 15_000 }).toContain("50 120");

  // Refusals name the field and end nothing.
  const before = peer.frames.length;
  peer.send({ type: "control", id: "sh", data: { type: "resize", cols: 0, rows: 5 } });
  peer.send({ type: "control", id: "nope", data: { type: "pause" } });
  peer.input("nope", "x");
  peer.raw(Buffer.from([0]));
  peer.send({ type: "subscribe", id: "list", channel: "containers", env: "local", params: {} });
  peer.input("list", "x");
  peer.send({ type: "control", id: "list", data: { type: "pause" } });
  await expect.poll(() => peer.frames.slice(before).filter((f) => f.type === "error").length, { timeout: 10_000 }).toBe(6);
  const errors = peer.frames.slice(before).filter((f) => f.type === "error");
  expect(errors.map((e) => e.type === "error" && e.field)).toEqual(["data.cols", "id", "id", "id", "payload", "data"]);
  expect(errors.every((e) => e.type === "error" && e.id === undefined)).toBe(true);
  peer.input("sh", "echo still-$((1+1))\n");
  await expect.poll(() => peer.output("sh").toString(), { timeout: 15_000 }).toContain("still-2");

  // Unsubscribing ends the shell in the container; the session's row has its details.
  expect(shells().length).toBe(1);
  peer.send({ type: "unsubscribe", id: "sh" });
  await expect.poll(() => shells().length, { timeout: 10_000 }).toBe(0);
  peer.close();

  // Losing the connection (the tab closed: no unsubscribe) ends the shell too.
  const other = await Peer.open(c);
  other.send({ type: "subscribe", id: "gone", channel: "exec", env: "local", params: { id: NAME } });
  other.input("gone", "echo here-$((2*2))\n");
  await expect.poll(() => other.output("gone").toString(), { timeout: 15_000 }).toContain("here-4");
  expect(shells().length).toBe(1);
  other.close();
  await expect.poll(() => shells().length, { timeout: 10_000 }).toBe(0);

  // Written when the session ends: wait for its outcome.
  await expect
    .poll(async () => (await auditOf(c, "container.exec")).some((r) => r.targetName === NAME && r.outcome === "ok" && r.details?.includes('"cols":100')), { timeout: 10_000 })
    .toBe(true);
  const rows = (await auditOf(c, "container.exec")).filter((r) => r.targetName === NAME);
  const session = rows.find((r) => r.details?.includes('"cols":100'));
  expect(session).toBeDefined();
  const details = JSON.parse(session!.details!) as Record<string, unknown>;
  expect(details).toMatchObject({ cmd: ["/bin/sh"], cols: 100, rows: 40 });
  expect(details.bytesIn).toBe(Buffer.byteLength("echo $((6*7))\nstty size\necho still-$((1+1))\n"));
  expect(details.bytesOut as number).toBeGreaterThan(10);
  expect(typeof details.durationMs).toBe("number");
  expect(details.start).toMatch(/^\d{4}-/);
  expect(details.end).toMatch(/^\d{4}-/);
  expect(session!.targetId).toMatch(/^[0-9a-f]{64}$/);
  expect(session!.username).toBe(ADMIN.username);
});

test("Record console sessions: the session's asciicast is replayed from the audit history", async ({ page }) => {
  const c: Client = { base: baseUrl(), jar: new Jar() };
  expect((await apiSignIn(c, ADMIN.username, ADMIN.password)).status).toBe(200);
  const on = await trpc(c, "consoleRecordings.set", { env: "local", record: true }, "mutation");
  expect(on.status, on.body).toBe(200);
  try {
    const peer = await Peer.open(c);
    peer.send({ type: "subscribe", id: "rec", channel: "exec", env: "local", params: { id: NAME, cols: 90, rows: 20 } });
    peer.input("rec", "echo rec-$((3*3))\n");
    await expect.poll(() => peer.output("rec").toString(), { timeout: 15_000 }).toContain("rec-9");
    peer.send({ type: "control", id: "rec", data: { type: "resize", cols: 100, rows: 25 } });
    await new Promise((r) => setTimeout(r, 300));
    peer.send({ type: "unsubscribe", id: "rec" });
    peer.close();

    let row: AuditItem | undefined;
    await expect
      .poll(async () => (row = (await auditOf(c, "container.exec")).find((r) => r.outcome === "ok" && /"recording":"\d+\.cast"/.test(r.details ?? ""))), { timeout: 10_000 })
      .toBeDefined();
    const id = Number(/"recording":"(\d+)\.cast"/.exec(row!.details!)![1]);
    const input = encodeURIComponent(JSON.stringify({ json: { id } }));
    const cast = JSON.parse((await send(c, "GET", `/api/trpc/consoleRecordings.get?input=${input}`)).body).result.data.json as { text: string };
    const lines = cast.text.trim().split("\n").map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toMatchObject({ version: 2, width: 90, height: 20, command: "/bin/sh", title: NAME });
    expect(lines.some((l) => Array.isArray(l) && l[1] === "r" && l[2] === "100x25")).toBe(true);
    expect(lines.filter((l) => Array.isArray(l) && l[1] === "o").map((l) => (l as string[])[2]).join("")).toContain("rec-9");
    // Keystrokes are not kept: only what the terminal showed.
    expect(lines.some((l) => Array.isArray(l) && l[1] === "i")).toBe(false);

    await signIn(page, `/audit/recordings/${id}`);
    await expect(page.getByRole("region", { name: "Recorded session" }).locator(".xterm-rows")).toContainText("rec-9");
  } finally {
    await trpc(c, "consoleRecordings.set", { env: "local", record: false }, "mutation");
  }
});
