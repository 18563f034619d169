/**
 * Terminals through the runtime (`/ws/exec`, `/ws/attach`, `exec.run`) against
 * the private engine, with the docker CLI as the oracle for what runs in the
 * container: byte-exact output, split UTF-8, the size reaching the process,
 * exit codes, a closed socket ending the shell, attach and detach.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docker, dockerQuiet } from "./private-engine";
import { openTerm, sleep } from "./exec-helpers";
import { callError, type StartedRuntime, startRuntime } from "./start-runtime";

const P = `berth-exec-${process.pid}`;
const N = { box: `${P}-box`, tty: `${P}-tty`, plain: `${P}-plain`, stopped: `${P}-stopped` };
let rt: StartedRuntime;

/** `printf` arguments for every byte 0..255, as octal escapes busybox understands. */
const ALL_BYTES_FORMAT = Array.from({ length: 256 }, (_, i) => `\\${i.toString(8).padStart(3, "0")}`).join("");

const top = (name: string) => docker("top", name, "-o", "pid,args");

beforeAll(async () => {
  rt = await startRuntime("exec");
  docker("run", "-d", "--name", N.box, "busybox", "sleep", "999999");
  docker("run", "-d", "-i", "-t", "--name", N.tty, "busybox", "sh");
  docker("run", "-d", "--name", N.plain, "busybox", "sh", "-c", "i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.2; done");
  docker("create", "--name", N.stopped, "busybox", "true");
});

afterAll(async () => {
  dockerQuiet("rm", "-f", ...Object.values(N));
  await rt?.stop();
});

describe("exec terminal", () => {
  it("binary output is byte-exact (every byte value, raw mode)", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box, cmd: ["sh", "-c", `stty raw -echo; printf '${ALL_BYTES_FORMAT}'`] });
    await t.closed;
    const want = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(t.output().equals(want)).toBe(true);
    expect(t.frames[0]).toMatchObject({ type: "started", tty: true, name: N.box });
    expect(t.frames.at(-1)).toEqual({ type: "exit", code: 0 });
  });

  it("multi-byte UTF-8 split across frames arrives intact", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box, cmd: ["sh", "-c", "stty raw -echo; yes 'é€😀' | head -n 30000 | tr -d '\\n'"] });
    await t.closed;
    const want = Buffer.from("é€😀".repeat(30000), "utf8");
    expect(t.output().length).toBe(want.length);
    expect(t.output().equals(want)).toBe(true);
  });

  it("the initial size is there before the first prompt, and a resize reaches the process", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box, cols: 101, rows: 31 });
    await t.until(() => t.frames.some((f) => f.type === "started"), 10_000, "started");
    t.write("stty size\n");
    await t.until(() => t.text().includes("31 101"), 10_000, "31 101");
    t.control({ type: "resize", cols: 132, rows: 43 });
    await sleep(200);
    t.write("stty size\n");
    await t.until(() => t.text().includes("43 132"), 10_000, "43 132");
    t.write("exit 3\n");
    await t.closed;
    expect(t.frames.at(-1)).toEqual({ type: "exit", code: 3 });
  });

  it("pause stops reading the engine (the output stops growing), resume goes on", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box, cmd: ["sh", "-c", "stty raw -echo; yes 0123456789abcdef"] });
    await t.until(() => t.output().length > 1 << 20, 20_000, "1 MB of output");
    t.control({ type: "pause" });
    await sleep(500);
    const atPause = t.output().length;
    await sleep(1000);
    // What was in flight (socket buffers) may still arrive, but not a flood: yes writes far more than this per second.
    expect(t.output().length - atPause).toBeLessThan(512 * 1024);
    t.control({ type: "resume" });
    await t.until(() => t.output().length > atPause + (4 << 20), 20_000, "4 MB more after resume");
    t.close();
    await t.closed;
  });

  it("a bad control frame is refused naming the field, and the terminal goes on", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box });
    t.control({ type: "resize", cols: 0, rows: 10 });
    await t.until(() => t.frames.some((f) => f.type === "error"), 10_000, "error");
    expect(t.frames.find((f) => f.type === "error")).toMatchObject({ code: "BAD_REQUEST", field: "control.cols" });
    t.write("echo still-$((40+2))\n");
    await t.until(() => t.text().includes("still-42"), 10_000, "still-42");
    t.close();
    await t.closed;
  });

  it("closing the socket ends the shell and its job in the container", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box, cmd: ["/bin/sh"] });
    t.write("sleep 4321\n");
    await sleep(300);
    await t.until(() => top(N.box).includes("sleep 4321"), 10_000, "sleep 4321 in docker top");
    expect(top(N.box)).toMatch(/\/bin\/sh/);
    t.close();
    let listing = top(N.box);
    for (let i = 0; i < 50 && /sleep 4321|\/bin\/sh/.test(listing); i++) {
      await sleep(100);
      listing = top(N.box);
    }
    expect(listing).not.toMatch(/sleep 4321/);
    expect(listing).not.toMatch(/\/bin\/sh/);
    expect(listing).toMatch(/sleep 999999/);
  });

  it("input typed before the process started is not lost", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box });
    t.write("echo early-$((6*7))\n");
    await t.until(() => t.text().includes("early-42"), 10_000, "early-42");
    t.close();
  });

  it("refuses bad params naming the field, and a stopped container", async () => {
    const nul = openTerm(rt.client, "exec", { id: N.box, cmd: ["sh", "a\0b"] });
    await nul.closed;
    expect(nul.frames[0]).toMatchObject({ type: "error", code: "BAD_REQUEST", field: "cmd[1]" });
    const rel = openTerm(rt.client, "exec", { id: N.box, workdir: "tmp/../x" });
    await rel.closed;
    expect(rel.frames[0]).toMatchObject({ type: "error", code: "BAD_REQUEST", field: "workdir" });
    const stopped = openTerm(rt.client, "exec", { id: N.stopped });
    await stopped.closed;
    expect(stopped.frames[0]).toMatchObject({ type: "error", code: "CONFLICT" });
    const missing = openTerm(rt.client, "exec", { id: `${P}-nope` });
    await missing.closed;
    expect(missing.frames[0]).toMatchObject({ type: "error", code: "NOT_FOUND" });
  });

  it("user, working directory and environment are the exec's", async () => {
    const t = openTerm(rt.client, "exec", { id: N.box, cmd: ["sh", "-c", "id -u; pwd; echo $GREETING"], user: "65534", workdir: "/tmp", environment: ["GREETING=hi there"] });
    await t.closed;
    expect(t.text().replace(/\r/g, "")).toBe("65534\n/tmp\nhi there\n");
  });
});

describe("attach", () => {
  it("TTY container: typing reaches the main process, detaching leaves it running", async () => {
    const t = openTerm(rt.client, "attach", { id: N.tty, cols: 90, rows: 20 });
    await t.until(() => t.frames.some((f) => f.type === "started"), 10_000, "started");
    expect(t.frames[0]).toMatchObject({ type: "started", tty: true });
    t.write("echo attached-$((1+2))\n");
    await t.until(() => t.text().includes("attached-3"), 10_000, "attached-3");
    t.write("stty size\n");
    await t.until(() => t.text().includes("20 90"), 10_000, "20 90");
    t.close();
    await t.closed;
    await sleep(1000);
    expect(docker("inspect", "-f", "{{.State.Running}}", N.tty)).toBe("true");
    // Attaching again works: the process is still there to talk to.
    const again = openTerm(rt.client, "attach", { id: N.tty });
    again.write("echo again-$((2*4))\n");
    await again.until(() => again.text().includes("again-8"), 10_000, "again-8");
    again.close();
  });

  it("non-TTY container: output is demultiplexed, detaching leaves it running", async () => {
    const t = openTerm(rt.client, "attach", { id: N.plain });
    await t.until(() => /tick-\d+\n/.test(t.text()), 10_000, "tick");
    expect(t.frames[0]).toMatchObject({ type: "started", tty: false });
    // No 8-byte stream headers in the bytes: every line is whole text.
    expect(t.text().split("\n").filter(Boolean).every((l) => /^tick-\d+$/.test(l))).toBe(true);
    t.close();
    await sleep(1000);
    expect(docker("inspect", "-f", "{{.State.Running}}", N.plain)).toBe("true");
  });
});

describe("exec.run", () => {
  it("stdout, stderr and the exit code apart", async () => {
    const r = await rt.client.call("exec.run", { id: N.box, cmd: ["sh", "-c", "echo out-é; echo err >&2; exit 5"] });
    expect(r).toMatchObject({ stdout: "out-é\n", stderr: "err\n", exitCode: 5, truncated: false, timedOut: false, name: N.box });
  });

  it("output is capped at 1 MB with truncated set, and a timeout kills the command", async () => {
    const big = await rt.client.call("exec.run", { id: N.box, cmd: ["sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x"] });
    expect(big.truncated).toBe(true);
    expect(big.stdout.length).toBe(1 << 20);
    expect(big.exitCode).toBe(0);
    const slow = await rt.client.call("exec.run", { id: N.box, cmd: ["sleep", "7777"], timeoutMs: 500 });
    expect(slow).toMatchObject({ timedOut: true, exitCode: null });
    let listing = top(N.box);
    for (let i = 0; i < 40 && listing.includes("sleep 7777"); i++) {
      await sleep(100);
      listing = top(N.box);
    }
    expect(listing).not.toContain("sleep 7777");
  });

  it("refuses a NUL and an empty command naming the field", async () => {
    const e1 = await callError(rt.client.call("exec.run", { id: N.box, cmd: ["echo", "a\0"] }));
    expect(e1).toMatchObject({ code: "BAD_REQUEST", field: "cmd[1]" });
    const e2 = await callError(rt.client.call("exec.run", { id: N.box, cmd: [] }));
    expect(e2).toMatchObject({ code: "BAD_REQUEST", field: "cmd" });
  });
});
