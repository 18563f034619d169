import { describe, expect, it } from "vitest";
import { parseHealth, toContainerSummary } from "../../runtime/engine/container-summaries";
import { parseDockerHost } from "../../runtime/engine/client";
import { RuntimeFailure, toRuntimeError } from "../../runtime/engine/errors";

/** Shaped like docker-modem's errors: "(HTTP code N) reason - message " plus statusCode/json. */
function modemError(statusCode: number, message: string | null, reason = "unexpected") {
  const err = new Error(`(HTTP code ${statusCode}) ${reason} - ${message ?? ""} `) as Error & Record<string, unknown>;
  err.statusCode = statusCode;
  err.reason = reason;
  err.json = message === null ? Buffer.alloc(0) : { message };
  return err;
}

function nodeError(code: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`connect ${code} ${String(extra.address ?? "")}`), { code, syscall: "connect", ...extra });
}

describe("toRuntimeError: Docker answers", () => {
  it("404 → NOT_FOUND naming the object, with Docker's message", () => {
    const e = toRuntimeError(modemError(404, "No such container: x", "no such container"), "container x");
    expect(e).toEqual({ code: "NOT_FOUND", message: "container x: No such container: x", dockerStatus: 404 });
  });

  it("409 → CONFLICT", () => {
    const e = toRuntimeError(modemError(409, "Conflict. The container name \"/web\" is already in use"), "container web");
    expect(e.code).toBe("CONFLICT");
    expect(e.dockerStatus).toBe(409);
    expect(e.message).toMatch(/^container web: Conflict\. The container name/);
  });

  it("304 → NOT_MODIFIED (Docker sends no body)", () => {
    const e = toRuntimeError(modemError(304, null, "container already started"), "container web");
    expect(e).toEqual({ code: "NOT_MODIFIED", message: "container web: container already started", dockerStatus: 304 });
  });

  it("400 → BAD_REQUEST", () => {
    const e = toRuntimeError(modemError(400, "invalid reference format"), "image Bad:Ref");
    expect(e).toMatchObject({ code: "BAD_REQUEST", message: "image Bad:Ref: invalid reference format", dockerStatus: 400 });
  });

  it("other statuses → INTERNAL with Docker's own message", () => {
    const e = toRuntimeError(modemError(500, "driver failed programming external connectivity"), "container web");
    expect(e).toEqual({
      code: "INTERNAL",
      message: "container web: driver failed programming external connectivity",
      dockerStatus: 500,
    });
  });

  it("falls back to the modem's message when the body is not JSON", () => {
    const err = Object.assign(new Error("(HTTP code 500) server error - page not found "), { statusCode: 500, json: null });
    expect(toRuntimeError(err).message).toBe("page not found");
  });

  it("works without a subject", () => {
    expect(toRuntimeError(modemError(404, "No such image: nope:1")).message).toBe("No such image: nope:1");
  });
});

describe("toRuntimeError: the engine cannot be reached", () => {
  it("ENOENT on a socket → the socket is missing", () => {
    const e = toRuntimeError(nodeError("ENOENT", { address: "/x/docker.sock" }), "container web");
    expect(e).toEqual({ code: "ENGINE_UNREACHABLE", message: "Docker socket /x/docker.sock not found (is the engine running?)" });
  });

  it("ECONNREFUSED on a socket and on TCP", () => {
    expect(toRuntimeError(nodeError("ECONNREFUSED", { address: "/x/docker.sock" }))).toEqual({
      code: "ENGINE_UNREACHABLE",
      message: "Docker socket /x/docker.sock refuses connections (is the engine running?)",
    });
    const tcp = toRuntimeError(nodeError("ECONNREFUSED", { address: "10.0.0.5", port: 2375 }));
    expect(tcp.code).toBe("ENGINE_UNREACHABLE");
    expect(tcp.message).toBe("connection refused by 10.0.0.5:2375 (is the engine running and listening there?)");
  });

  it("EACCES → permission denied on the socket, with what to do", () => {
    const e = toRuntimeError(nodeError("EACCES", { address: "/var/run/docker.sock" }));
    expect(e.code).toBe("ENGINE_UNREACHABLE");
    expect(e.message).toMatch(/^permission denied on \/var\/run\/docker\.sock \(.*docker group\)$/);
  });

  it("ETIMEDOUT and socket hang up", () => {
    expect(toRuntimeError(nodeError("ETIMEDOUT", { address: "10.0.0.5", port: 2376 })).message).toBe(
      "timed out connecting to the engine at 10.0.0.5:2376",
    );
    const hangUp = toRuntimeError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect(hangUp.code).toBe("ENGINE_UNREACHABLE");
    expect(hangUp.message).toMatch(/closed the connection/);
    expect(toRuntimeError(new Error("socket hang up")).code).toBe("ENGINE_UNREACHABLE");
  });
});

describe("toRuntimeError: everything else", () => {
  it("passes protocol errors through", () => {
    const failure = new RuntimeFailure({ code: "CONFLICT", message: "container web is running: stop it or force removal" });
    expect(toRuntimeError(failure, "container web")).toBe(failure.error);
  });

  it("unknown errors → INTERNAL with their message", () => {
    expect(toRuntimeError(new TypeError("boom"), "container web")).toEqual({ code: "INTERNAL", message: "container web: boom" });
    expect(toRuntimeError("weird")).toEqual({ code: "INTERNAL", message: "weird" });
  });
});

describe("parseDockerHost (as the docker CLI)", () => {
  it("defaults", () => {
    expect(parseDockerHost(undefined).url).toBe("unix:///var/run/docker.sock");
    expect(parseDockerHost("").url).toBe("unix:///var/run/docker.sock");
    expect(parseDockerHost("unix://").url).toBe("unix:///var/run/docker.sock");
    expect(parseDockerHost(undefined, true).url).toBe("tcp://localhost:2376");
  });

  it("unix, tcp and bare forms", () => {
    expect(parseDockerHost("unix:///tmp/d.sock")).toEqual({ kind: "unix", socketPath: "/tmp/d.sock", url: "unix:///tmp/d.sock" });
    expect(parseDockerHost("/tmp/d.sock").url).toBe("unix:///tmp/d.sock");
    expect(parseDockerHost("tcp://10.0.0.5")).toMatchObject({ kind: "tcp", host: "10.0.0.5", port: 2375 });
    expect(parseDockerHost("tcp://10.0.0.5:2376")).toMatchObject({ host: "10.0.0.5", port: 2376 });
    expect(parseDockerHost("10.0.0.5:1234").url).toBe("tcp://10.0.0.5:1234");
    expect(parseDockerHost("tcp://").url).toBe("tcp://localhost:2375");
    expect(parseDockerHost("ssh://me@box:2222")).toMatchObject({ kind: "ssh", host: "box", port: 2222, username: "me" });
  });

  it("rejects what the CLI rejects", () => {
    expect(() => parseDockerHost("http://x:1")).toThrow(/invalid bind address/);
    expect(() => parseDockerHost("tcp://a://b")).toThrow(/expected tcp/);
  });
});

describe("container summaries", () => {
  it("parses health from Status", () => {
    expect(parseHealth("Up 3 minutes (healthy)")).toBe("healthy");
    expect(parseHealth("Up 1 second (unhealthy)")).toBe("unhealthy");
    expect(parseHealth("Up Less than a second (health: starting)")).toBe("starting");
    expect(parseHealth("Up 2 hours")).toBeUndefined();
  });

  it("maps Docker's list entry", () => {
    const s = toContainerSummary({
      Id: "abc",
      Names: ["/other/alias", "/web"],
      Image: "nginx",
      ImageID: "sha256:1",
      Command: "nginx -g 'daemon off;'",
      Created: 1700000000,
      Ports: [{ IP: "127.0.0.1", PrivatePort: 80, PublicPort: 8080, Type: "tcp" }, { PrivatePort: 443, Type: "tcp" }],
      Labels: { a: "b" },
      State: "running",
      Status: "Up 5 seconds (healthy)",
      HostConfig: { NetworkMode: "bridge" },
      NetworkSettings: { Networks: { bridge: { IPAddress: "172.17.0.2" }, other: { IPAddress: "" } } },
      Mounts: [],
    } as never);
    expect(s).toEqual({
      id: "abc",
      name: "web",
      image: "nginx",
      imageId: "sha256:1",
      command: "nginx -g 'daemon off;'",
      created: 1700000000,
      state: "running",
      status: "Up 5 seconds (healthy)",
      health: "healthy",
      ports: [
        { ip: "127.0.0.1", privatePort: 80, publicPort: 8080, type: "tcp" },
        { ip: undefined, privatePort: 443, publicPort: undefined, type: "tcp" },
      ],
      networks: [{ name: "bridge", ip: "172.17.0.2" }, { name: "other", ip: undefined }],
      labels: { a: "b" },
    });
  });
});
