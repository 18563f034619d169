import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { afterEach, describe, expect, it } from "vitest";
import { type BodyStream, engineStream } from "../../runtime/logs/engine-stream";
import { toRuntimeError } from "../../runtime/engine/errors";

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
