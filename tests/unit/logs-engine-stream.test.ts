import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { createRequire } from "node:module";
import { afterEach, describe, expect, it } from "vitest";
import { createEngine } from "../../runtime/engine/client";
import { toRuntimeError } from "../../runtime/engine/errors";
import { type BodyStream, engineStream } from "../../runtime/logs/engine-stream";

/** A fake engine on a unix socket: records the request, answers with `answer(socket)`. */
async function fakeEngine(answer: (s: net.Socket) => void) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "berth-es-"));
  const socketPath = path.join(dir, "docker.sock");
  const requests: string[] = [];
  const server = net.createServer((s) => {
    let req = "";
    s.on("data", (d) => {
      req += d.toString("latin1");
      if (req.includes("\r\n\r\n")) {
        requests.push(req);
        answer(s);
      }
    });
  });
  await new Promise<void>((r) => server.listen(socketPath, r));
  cleanups.push(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const docker = { modem: { socketPath, version: "v1.41" } } as unknown as Docker;
  return { docker, requests };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Opens the stream; like LogSource, listens in the callback itself (the first bytes may come right after it). */
function open(docker: Docker, query: Record<string, string | boolean> = { follow: true, tail: "all" }, paused = false) {
  return new Promise<{ body: BodyStream; data: Promise<Buffer>; got: Buffer[] }>((resolve, reject) => {
    const ok = engineStream(docker, "/containers/web/logs", query, (err, body) => {
      if (err) return reject(err);
      const got: Buffer[] = [];
      if (paused) body!.pause();
      const data = new Promise<Buffer>((res, rej) => {
        body!.on("data", (c) => got.push(c));
        body!.on("end", () => res(Buffer.concat(got)));
        body!.on("error", rej);
      });
      resolve({ body: body!, data, got });
    });
    expect(ok).toBe(true);
  });
}

describe("engine stream (HTTP/1.0 on its own socket)", () => {
  it("asks HTTP/1.0 with the API version and query, and gives the body byte for byte however it is cut", async () => {
    const payload = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i} é\n`).join(""));
    const { docker, requests } = await fakeEngine((s) => {
      const all = Buffer.concat([Buffer.from("HTTP/1.0 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n"), payload]);
      // The header cut in two, then the body in odd pieces.
      let off = 0;
      const step = () => {
        if (off >= all.length) return void s.end();
        const n = off === 0 ? 20 : 777;
        s.write(all.subarray(off, off + n));
        off += n;
        setImmediate(step);
      };
      step();
    });
    const { data } = await open(docker, { follow: true, stdout: true, stderr: false, timestamps: true, tail: "all" });
    expect((await data).equals(payload)).toBe(true);
    expect(requests[0]).toMatch(/^GET \/v1\.41\/containers\/web\/logs\?follow=true&stdout=true&stderr=false&timestamps=true&tail=all HTTP\/1\.0\r\n/);
  });

  it("holds data while paused (even what came with the header) and gives it on resume", async () => {
    let sock!: net.Socket;
    const { docker } = await fakeEngine((s) => {
      sock = s;
      s.write("HTTP/1.0 200 OK\r\n\r\nzero\n");
    });
    const { body, data, got } = await open(docker, undefined, true);
    sock.write("one\n");
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([]);
    body.resume();
    sock.end("two\n");
    expect((await data).toString()).toBe("zero\none\ntwo\n");
  });

  it("turns an engine error into the same RuntimeError as the modem's", async () => {
    const { docker } = await fakeEngine((s) => {
      const json = JSON.stringify({ message: "No such container: web" });
      s.end(`HTTP/1.0 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`);
    });
    const err = await open(docker).catch((e: unknown) => e);
    expect(toRuntimeError(err, "container web")).toEqual({ code: "NOT_FOUND", message: "container web: No such container: web", dockerStatus: 404 });
  });

  it("says the engine is unreachable when its socket is missing, and leaves ssh to the modem", async () => {
    const docker = { modem: { socketPath: path.join(os.tmpdir(), "berth-no-such-dir", "docker.sock") } } as unknown as Docker;
    const err = await open(docker).catch((e: unknown) => e);
    expect(toRuntimeError(err).code).toBe("ENGINE_UNREACHABLE");
    const ssh = { modem: { host: "example.org", port: 22, protocol: "ssh" } } as unknown as Docker;
    expect(engineStream(ssh, "/containers/web/logs", {}, () => {})).toBe(false);
  });
});

/**
 * docker-modem (pinned in package.json) is read beyond its API: engine-stream.ts
 * takes the connection from the Modem's own fields, and engine/client.ts replaces
 * the request functions of its lib/http.js. A version that renames any of them
 * must fail here, naming what is gone, not in production.
 */
describe("docker-modem internals Berth reads", () => {
  const fromDockerode = createRequire(createRequire(import.meta.url).resolve("dockerode"));
  const modemVersion = (fromDockerode("docker-modem/package.json") as { version: string }).version;

  /** What engine-stream.ts reads of a Modem: the socket path on unix, host, port and protocol on TCP, the API version on both. */
  const READ = { unix: ["socketPath", "version"], tcp: ["host", "port", "protocol", "version"] };

  /** Messages naming every field of `modem` engine-stream.ts reads that is not there. */
  function missingModemFields(modem: object, read: string[]): string[] {
    return read
      .filter((f) => !Object.hasOwn(modem, f))
      .map((f) => `docker-modem ${modemVersion}: the Modem has no own field "${f}", which runtime/logs/engine-stream.ts reads`);
  }

  it("the Modem dockerode builds has every field engine-stream.ts reads, with the meaning it reads", () => {
    const unix = createEngine({ DOCKER_HOST: "unix:///tmp/berth-modem-check.sock", DOCKER_API_VERSION: "1.41" }).docker.modem;
    expect(missingModemFields(unix, READ.unix)).toEqual([]);
    expect(unix).toMatchObject({ socketPath: "/tmp/berth-modem-check.sock", host: undefined, version: "v1.41" });
    const tcp = createEngine({ DOCKER_HOST: "tcp://127.0.0.1:2999" }).docker.modem;
    expect(missingModemFields(tcp, READ.tcp)).toEqual([]);
    expect(tcp).toMatchObject({ host: "127.0.0.1", port: 2999, protocol: "http", version: undefined });
    expect((tcp as unknown as Record<string, unknown>).socketPath).toBeUndefined();
  });

  it("the check names a field that is gone", () => {
    const modem = { ...createEngine({ DOCKER_HOST: "unix:///tmp/berth-modem-check.sock" }).docker.modem } as Record<string, unknown>;
    delete modem.socketPath;
    expect(missingModemFields(modem, READ.unix)).toEqual([
      `docker-modem ${modemVersion}: the Modem has no own field "socketPath", which runtime/logs/engine-stream.ts reads`,
    ]);
  });

  it("lib/http.js has the request and get functions engine/client.ts replaces, and the Modem calls them per request", () => {
    const wrappers = fromDockerode("docker-modem/lib/http.js") as Record<string, Record<string, unknown> | undefined>;
    for (const proto of ["http", "https"]) {
      for (const fn of ["request", "get"]) {
        expect(typeof wrappers[proto]?.[fn], `docker-modem ${modemVersion}: lib/http.js has no ${proto}.${fn}, which runtime/engine/client.ts replaces`).toBe("function");
      }
    }
    // Looked up at each request (not kept from load time), so the replacement takes effect.
    const modemSource = fs.readFileSync(fromDockerode.resolve("docker-modem/lib/modem.js"), "utf8");
    expect(modemSource, `docker-modem ${modemVersion}: lib/modem.js no longer sends through http[protocol].request`).toMatch(/http\[[^\]]*self\.protocol[^\]]*\]\.request\(/);
  });

  it("a real Modem, built by createEngine, reaches the engine through engineStream", async () => {
    const { docker: fake, requests } = await fakeEngine((s) => s.end("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nhello\n"));
    const socketPath = (fake.modem as unknown as { socketPath: string }).socketPath;
    const docker = createEngine({ DOCKER_HOST: `unix://${socketPath}`, DOCKER_API_VERSION: "1.41" }).docker;
    const { data } = await open(docker);
    expect((await data).toString()).toBe("hello\n");
    expect(requests[0]).toMatch(/^GET \/v1\.41\/containers\/web\/logs\?follow=true&tail=all HTTP\/1\.0\r\n/);
  });
});
