/**
 * Reading template sources against a real local HTTP server and real files:
 * the 5 s bound (shortened here), the size bound, invalid JSON, redirects that
 * leave http(s), refused locations, and where a stack file is resolved.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchJson, fetchText, locationOf, stackFileLocation, type Location } from "../../server/templates/fetch";

let server: http.Server;
let base = "";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-templates-"));

beforeAll(async () => {
  server = http.createServer((req, res) => {
    switch (req.url) {
      case "/list.json":
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ version: "3", templates: [] }));
        return;
      case "/slow":
        setTimeout(() => res.end("{}"), 3_000).unref();
        return;
      case "/big":
        res.write("x".repeat(1024));
        res.end("y".repeat(1024));
        return;
      case "/big-declared":
        res.setHeader("content-length", String(10 * 1024 * 1024));
        res.end("{}");
        return;
      case "/not-json":
        res.end("root:x:0:0:root:/root:/bin/sh");
        return;
      case "/to-file":
        res.writeHead(302, { location: "file:///etc/passwd" });
        res.end();
        return;
      case "/to-list":
        res.writeHead(301, { location: "/list.json" });
        res.end();
        return;
      case "/loop":
        res.writeHead(302, { location: "/loop" });
        res.end();
        return;
      default:
        res.statusCode = 404;
        res.end("no");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const url = (p: string) => locationOf(`${base}${p}`);
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("no error");
};

describe("http sources", () => {
  it("reads a list, and follows an http redirect", async () => {
    expect(await fetchJson(url("/list.json"))).toEqual({ version: "3", templates: [] });
    expect(await fetchJson(url("/to-list"))).toEqual({ version: "3", templates: [] });
  });
  it("gives up after the time bound", async () => {
    const started = Date.now();
    expect(await failure(fetchText(url("/slow"), { timeoutMs: 300 }))).toBe(`${base}/slow: no answer within 0.3 s`);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
  it("refuses an oversized answer, declared or streamed", async () => {
    expect(await failure(fetchText(url("/big"), { maxBytes: 1500 }))).toMatch(/\/big: is larger than/);
    expect(await failure(fetchText(url("/big-declared")))).toMatch(/is larger than 5 MB/);
    expect(await fetchText(url("/big"), { maxBytes: 4096 })).toHaveLength(2048);
  });
  it("says JSON is not JSON without echoing the text", async () => {
    const m = await failure(fetchJson(url("/not-json")));
    expect(m).toMatch(/\/not-json: is not JSON/);
    expect(m).not.toContain("root:x");
  });
  it("does not follow a redirect to file:, nor endless ones; reports HTTP errors", async () => {
    expect(await failure(fetchText(url("/to-file")))).toMatch(/redirects to a file: URL, which is not followed/);
    expect(await failure(fetchText(url("/loop")))).toMatch(/more than 5 redirects/);
    // A local server may redirect within its own network (the test server is local itself).
    expect(await fetchJson(url("/to-list"))).toEqual({ version: "3", templates: [] });
    expect(await failure(fetchText(url("/missing")))).toMatch(/answered 404/);
  });
});

describe("locations", () => {
  it("takes only http(s) URLs and absolute paths without ..", () => {
    expect(() => locationOf("file:///etc/passwd")).toThrow(/only http\(s\) URLs and absolute file paths are read, not file: URLs/);
    expect(() => locationOf("ftp://x/y")).toThrow(/not ftp: URLs/);
    expect(() => locationOf("templates.json")).toThrow(/neither an http\(s\) URL nor an absolute file path/);
    expect(() => locationOf("/srv/../etc/passwd")).toThrow(/\.\./);
    expect(() => locationOf("https://user:pw@example.test/t.json")).toThrow(/user name or password/);
    expect(() => locationOf("/a\0b")).toThrow(/NUL/);
    expect(locationOf("/srv/t.json")).toEqual({ kind: "file", path: "/srv/t.json" });
  });
  it("reads files within the size bound", async () => {
    const f = path.join(dir, "t.json");
    fs.writeFileSync(f, JSON.stringify({ version: "2", templates: [] }));
    expect(await fetchJson(locationOf(f))).toEqual({ version: "2", templates: [] });
    expect(await failure(fetchText(locationOf(f), { maxBytes: 10 }))).toMatch(/is larger than/);
    expect(await failure(fetchText(locationOf(path.join(dir, "none.json"))))).toMatch(/no such file/);
    expect(await failure(fetchText(locationOf(dir)))).toMatch(/is not a file/);
  });
});

describe("stack files", () => {
  const list: Location = { kind: "url", url: new URL("https://example.test/lists/templates.json") };
  it("resolves relative to the list, a raw base, and GitHub", () => {
    expect(stackFileLocation(list, { url: ".", stackfile: "stacks/a/compose.yaml" })).toEqual({ kind: "url", url: new URL("https://example.test/lists/stacks/a/compose.yaml") });
    expect(stackFileLocation({ kind: "file", path: "/srv/t/templates.json" }, { url: ".", stackfile: "stacks/a.yml" })).toEqual({ kind: "file", path: "/srv/t/stacks/a.yml" });
    expect(stackFileLocation(list, { url: "https://raw.example.test/base", stackfile: "x/y.yml" })).toEqual({ kind: "url", url: new URL("https://raw.example.test/base/x/y.yml") });
    expect(stackFileLocation(list, { url: "https://github.com/portainer/templates", stackfile: "stacks/wordpress/docker-compose.yml" })).toEqual({
      kind: "url", url: new URL("https://raw.githubusercontent.com/portainer/templates/HEAD/stacks/wordpress/docker-compose.yml"),
    });
  });
  it("explains what it cannot read", () => {
    expect(stackFileLocation(list, { url: "https://gitlab.example.test/a/b.git", stackfile: "c.yml" })).toEqual({ problem: expect.stringMatching(/git repository, which Berth cannot clone/) });
    expect(stackFileLocation(list, { url: ".", stackfile: "../../etc/passwd" })).toEqual({ problem: expect.stringMatching(/\.\./) });
    expect(stackFileLocation(list, { url: "..", stackfile: "x" })).toEqual({ problem: expect.stringMatching(/\.\./) });
    expect(stackFileLocation(list, { url: "file:///etc", stackfile: "passwd" })).toEqual({ problem: expect.stringMatching(/file: repositories cannot be read/) });
  });
  it("keeps a list from the internet off the dashboard's own network", () => {
    for (const url of ["http://127.0.0.1:9000", "http://localhost/x", "http://169.254.169.254/latest", "http://10.1.2.3/a", "http://[::1]/a", "http://192.168.1.1/"]) {
      expect(stackFileLocation(list, { url, stackfile: "c.yml" }), url).toEqual({ problem: expect.stringMatching(/local or private address/) });
    }
    // The same origin as the list, or a list that is itself local, may.
    const local: Location = { kind: "url", url: new URL("http://127.0.0.1:8000/t.json") };
    expect(stackFileLocation(local, { url: ".", stackfile: "c.yml" })).toEqual({ kind: "url", url: new URL("http://127.0.0.1:8000/c.yml") });
    expect(stackFileLocation(local, { url: "http://10.0.0.5/s", stackfile: "c.yml" })).toEqual({ kind: "url", url: new URL("http://10.0.0.5/s/c.yml") });
    expect(stackFileLocation({ kind: "file", path: "/srv/t.json" }, { url: "http://10.0.0.5/s", stackfile: "c.yml" })).toEqual({ kind: "url", url: new URL("http://10.0.0.5/s/c.yml") });
    expect(stackFileLocation(list, { url: "https://8.8.8.8/s", stackfile: "c.yml" })).toMatchObject({ kind: "url" });
  });
});
