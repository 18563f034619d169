/**
 * Registries through the runtime against a second, password-protected
 * docker-registry started here (htpasswd, delete enabled): `docker login` with
 * wrong and right credentials, push busybox there, the catalogue, the tags with
 * digest and size, and deleting the tag; then the plain test registry
 * anonymously. The registry's own API (curl-free: fetch) is the oracle.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Docker from "dockerode";
import tarStream from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RuntimeCallError } from "../../server/engines/runtime-client";
import { freePort } from "../support/free-port";
import { type AuthRegistry, startAuthRegistry, waitForRegistry } from "./auth-registry";
import { requirePrivateEngine } from "./private-engine";
import { type StartedRuntime, startRuntime } from "./start-runtime";

const USER = "berth";
const PASS = `pw-${process.pid}-right`;
let dir: string;
let authRegistry: AuthRegistry | undefined;
let reg2: string;
let rt: StartedRuntime;
const docker = new Docker();

const basic = `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;
const auth = () => ({ username: USER, password: PASS, serveraddress: reg2 });

async function call<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: string; message: string }> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    if (err instanceof RuntimeCallError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}

beforeAll(async () => {
  requirePrivateEngine();
  authRegistry = await startAuthRegistry(USER, PASS);
  reg2 = authRegistry.address;
  dir = authRegistry.dir;
  rt = await startRuntime("registries");
});

afterAll(async () => {
  await rt?.stop();
  await docker.getImage(`${reg2}/test/busybox:one`).remove().catch(() => undefined);
  await authRegistry?.stop();
});

describe("registries login (docker login through the engine)", () => {
  it("wrong credentials: UNAUTHORIZED, in words that say so", async () => {
    const r = await call(rt.client.call("registries.login", { url: reg2, insecure: true, auth: { ...auth(), password: "Not-The-Password-41" } }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe("UNAUTHORIZED");
    expect(r.message).toContain(reg2);
    expect(r.message).toMatch(/refused the credentials/);
    expect(r.message).not.toContain("Not-The-Password-41");
  });

  it("right credentials: Login Succeeded", async () => {
    const r = await rt.client.call("registries.login", { url: reg2, insecure: true, auth: auth() });
    expect(r).toMatchObject({ ok: true, anonymous: false });
    expect(r.message).toMatch(/Login Succeeded/i);
  });

  it("no credentials on a protected registry: UNAUTHORIZED (it needs credentials)", async () => {
    const r = await call(rt.client.call("registries.login", { url: reg2, insecure: true }));
    expect(r).toMatchObject({ ok: false, code: "UNAUTHORIZED" });
    if (!r.ok) expect(r.message).toMatch(/needs credentials/);
  });

  it("a registry that is not there: a clear unreachable error, not a hang", async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = await call(rt.client.call("registries.catalog", { url: `127.0.0.1:${port}`, insecure: true }));
    expect(r).toMatchObject({ ok: false, code: "ENGINE_UNREACHABLE" });
    if (!r.ok) expect(r.message).toMatch(/connection refused/);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it("plain HTTP registry not marked insecure: says to mark it Insecure (HTTP)", async () => {
    const r = await call(rt.client.call("registries.catalog", { url: reg2, insecure: false, auth: auth() }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(/Insecure \(HTTP\)/);
  });

  it("refuses a URL with a path or credentials, naming the field", async () => {
    for (const url of [`${reg2}/v2`, `user:pw@${reg2}`, `127.0.0.1:99999`, "a b"]) {
      const r = await call(rt.client.call("registries.catalog", { url, insecure: true }));
      expect(r).toMatchObject({ ok: false, code: "BAD_REQUEST" });
      if (!r.ok) expect(r.message).toMatch(/url/);
    }
    const r = await call(rt.client.call("registries.tags", { url: reg2, insecure: true, repository: "../etc" }));
    expect(r).toMatchObject({ ok: false, code: "BAD_REQUEST" });
  });
});

describe("browse and delete on the protected registry", () => {
  let pushedDigest: string;

  beforeAll(async () => {
    await docker.getImage("busybox").tag({ repo: `${reg2}/test/busybox`, tag: "one" });
    const stream = await docker.getImage(`${reg2}/test/busybox:one`).push({ authconfig: auth() });
    const events = await new Promise<{ error?: string; aux?: { Digest?: string } }[]>((resolve, reject) =>
      docker.modem.followProgress(stream, (err: Error | null, out: unknown[]) => (err ? reject(err) : resolve(out as never))),
    );
    const failed = events.find((e) => e.error);
    if (failed) throw new Error(`push failed: ${failed.error}`);
    pushedDigest = events.find((e) => e.aux?.Digest)?.aux?.Digest ?? "";
    expect(pushedDigest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it("catalogue lists test/busybox; without credentials it is refused", async () => {
    const r = await rt.client.call("registries.catalog", { url: reg2, insecure: true, auth: auth() });
    expect(r.repositories).toContain("test/busybox");
    expect(r.truncated).toBe(false);
    const anon = await call(rt.client.call("registries.catalog", { url: reg2, insecure: true }));
    expect(anon).toMatchObject({ ok: false, code: "UNAUTHORIZED" });
  });

  it("tags: one, with the pushed digest and a size of config plus layers", async () => {
    const r = await rt.client.call("registries.tags", { url: reg2, insecure: true, auth: auth(), repository: "test/busybox" });
    expect(r.tags.map((t) => t.tag)).toEqual(["one"]);
    const one = r.tags[0]!;
    expect(one.digest).toBe(pushedDigest);
    // The oracle: the registry's manifest, read directly.
    const res = await fetch(`http://${reg2}/v2/test/busybox/manifests/one`, {
      headers: { authorization: basic, accept: "application/vnd.docker.distribution.manifest.v2+json" },
    });
    const m = (await res.json()) as { config: { size: number }; layers: { size: number }[] };
    expect(one.size).toBe(m.config.size + m.layers.reduce((s, l) => s + l.size, 0));
    expect(one.size).toBeGreaterThan(100_000);
  });

  it("an unknown repository is NOT_FOUND", async () => {
    const r = await call(rt.client.call("registries.tags", { url: reg2, insecure: true, auth: auth(), repository: "test/nothing-here" }));
    expect(r).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("a build whose FROM is on the protected registry pulls it with the registry config the dashboard sends, and fails without", async () => {
    const from = `${reg2}/test/busybox:one`;
    await docker.getImage(from).remove().catch(() => undefined);
    const context = () => {
      const pack = tarStream.pack();
      pack.entry({ name: "Dockerfile" }, `FROM ${from}\nLABEL built=through-berth\n`);
      pack.finalize();
      return pack as unknown as NodeJS.ReadableStream;
    };
    const build = async (headers: Record<string, string>) => {
      const res = await rt.client.upload(`/images/build?p=${encodeURIComponent(JSON.stringify({ tags: [`berth-reg-build-${process.pid}:v1`], pull: true }))}`, context(), { headers: { "content-type": "application/x-tar", ...headers } });
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      const taskId = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { taskId: string }).taskId;
      for (const until = Date.now() + 60_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
        const t = (await rt.client.call("tasks.list", {})).find((x) => x.id === taskId);
        if (t && t.state !== "running") return t;
      }
      throw new Error("the build did not end");
    };
    const without = await build({});
    expect(without.state).toBe("failed");
    expect(without.error?.message).toMatch(/auth|unauthori[sz]ed|credentials/i);
    const config = Buffer.from(JSON.stringify({ [reg2]: auth() })).toString("base64");
    const withLogin = await build({ "x-berth-registry-config": config });
    expect(withLogin.state, JSON.stringify(withLogin.error)).toBe("succeeded");
    expect((await docker.getImage(`berth-reg-build-${process.pid}:v1`).inspect()).Config.Labels).toMatchObject({ built: "through-berth" });
    await docker.getImage(`berth-reg-build-${process.pid}:v1`).remove().catch(() => undefined);
  });

  it("deleteTag removes it: the registry no longer has the manifest", async () => {
    const r = await rt.client.call("registries.deleteTag", { url: reg2, insecure: true, auth: auth(), repository: "test/busybox", tag: "one" });
    expect(r).toEqual({ repository: "test/busybox", tag: "one", digest: pushedDigest });
    const res = await fetch(`http://${reg2}/v2/test/busybox/manifests/one`, { headers: { authorization: basic } });
    expect(res.status).toBe(404);
    const tags = await rt.client.call("registries.tags", { url: reg2, insecure: true, auth: auth(), repository: "test/busybox" });
    expect(tags.tags).toEqual([]);
    const again = await call(rt.client.call("registries.deleteTag", { url: reg2, insecure: true, auth: auth(), repository: "test/busybox", tag: "one" }));
    expect(again).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});

describe("the plain test registry, anonymously", () => {
  it("login answers without credentials; catalogue and tags of library/busybox", async () => {
    const plain = process.env.BERTH_TEST_REGISTRY!;
    const login = await rt.client.call("registries.login", { url: plain, insecure: true });
    expect(login).toMatchObject({ ok: true, anonymous: true });
    const cat = await rt.client.call("registries.catalog", { url: plain, insecure: true });
    expect(cat.repositories).toEqual(expect.arrayContaining(["library/busybox", "library/nginx", "library/redis"]));
    const tags = await rt.client.call("registries.tags", { url: plain, insecure: true, repository: "library/busybox" });
    expect(tags.tags.find((t) => t.tag === "latest")?.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  });

  it("a registry without delete enabled answers 405: said clearly", async () => {
    // The harness's registry has delete enabled; a read-only one is started here.
    const port = await freePort();
    const ro = path.join(dir, "ro.yml");
    fs.writeFileSync(ro, `version: 0.1\nlog: { level: warn }\nstorage: { filesystem: { rootdirectory: ${dir}/data } }\nhttp: { addr: "127.0.0.1:${port}" }\n`);
    const child = spawn("docker-registry", ["serve", ro], { stdio: "ignore" });
    try {
      await waitForRegistry(`127.0.0.1:${port}`);
      await docker.getImage("busybox").tag({ repo: `127.0.0.1:${port}/test/ro`, tag: "keep" });
      const stream = await docker.getImage(`127.0.0.1:${port}/test/ro:keep`).push({ authconfig: { username: "", password: "", serveraddress: `127.0.0.1:${port}` } });
      await new Promise((resolve, reject) => docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve(undefined))));
      const r = await call(rt.client.call("registries.deleteTag", { url: `127.0.0.1:${port}`, insecure: true, repository: "test/ro", tag: "keep" }));
      expect(r).toMatchObject({ ok: false, code: "BAD_REQUEST" });
      if (!r.ok) expect(r.message).toMatch(/does not allow deleting.*405/);
    } finally {
      child.kill("SIGTERM");
      await docker.getImage(`127.0.0.1:${port}/test/ro:keep`).remove().catch(() => undefined);
    }
  });
});
