/**
 * Which registry an image reference names (Docker's splitDockerDomain rule, as
 * the engine decides it for a pull) and what Berth accepts as a registry URL.
 */
import { describe, expect, it } from "vitest";
import { parseRegistryAddress, registryAddressError, registryOfReference, registryRepositoryError, serverAddress } from "../../runtime/registries/address";

describe("registryOfReference", () => {
  it.each([
    ["nginx", "docker.io"],
    ["nginx:1.27", "docker.io"],
    ["library/nginx", "docker.io"],
    ["myuser/app:tag", "docker.io"],
    ["myuser/app@sha256:" + "a".repeat(64), "docker.io"],
    ["docker.io/library/nginx", "docker.io"],
    ["index.docker.io/library/nginx:latest", "docker.io"],
    ["registry-1.docker.io/x/y", "docker.io"],
    ["registry.example.com/team/app:1", "registry.example.com"],
    ["registry.example.com:5000/app", "registry.example.com:5000"],
    ["127.0.0.1:5000/library/busybox:latest", "127.0.0.1:5000"],
    ["localhost/app", "localhost"],
    ["localhost:5000/app", "localhost:5000"],
    ["myhost:5000/app", "myhost:5000"],
    ["[::1]:5000/app", "[::1]:5000"],
    // No dot, no colon, not localhost: a Docker Hub user, however it looks.
    ["registry/app", "docker.io"],
    ["localhostx/app", "docker.io"],
    // Upper case in the first component is not a domain to Docker.
    ["Registry.Example.com/app", "docker.io"],
  ])("%s → %s", (ref, registry) => {
    expect(registryOfReference(ref)).toBe(registry);
  });

  it("the engine's server address: Docker Hub's v1 index, else the host itself", () => {
    expect(serverAddress("docker.io")).toBe("https://index.docker.io/v1/");
    expect(serverAddress("127.0.0.1:5000")).toBe("127.0.0.1:5000");
  });
});

describe("parseRegistryAddress", () => {
  it.each([
    ["registry.example.com", "registry.example.com", undefined],
    ["Registry.Example.COM:5000", "registry.example.com:5000", undefined],
    ["https://registry.example.com/", "registry.example.com", "https"],
    ["http://127.0.0.1:5000", "127.0.0.1:5000", "http"],
    ["localhost:05000", "localhost:5000", undefined],
    ["[::1]:5000", "[::1]:5000", undefined],
    ["[2001:db8::1]", "[2001:db8::1]", undefined],
    ["docker.io", "docker.io", undefined],
    ["index.docker.io", "docker.io", undefined],
    ["https://registry-1.docker.io", "docker.io", "https"],
    ["a", "a", undefined],
  ])("%s → %s", (input, host, scheme) => {
    const r = parseRegistryAddress(input);
    expect(r).toEqual({ ok: true, host, ...(scheme ? { scheme } : {}) });
  });

  it.each([
    ["", /empty/],
    ["registry.example.com/v2", /no path/],
    ["registry.example.com/team", /no path/],
    ["https://user:pw@registry.example.com", /no user name or password/],
    ["user@registry.example.com", /no user name or password/],
    ["registry.example.com:0", /port "0" must be a number from 1 to 65535/],
    ["registry.example.com:65536", /from 1 to 65535/],
    ["registry.example.com:", /port "" must be/],
    ["registry.example.com:http", /port "http"/],
    ["registry .example.com", /a space at position 9/],
    ["registry.example.com\u0000", /control character/],
    ["registry.example.com\n", /white space/],
    ["ftp://registry.example.com", /not a registry scheme/],
    ["registry.example.com?x=1", /no query/],
    ["-bad-.example.com", /not a host name/],
    ["a..b", /not a host name/],
    ["x".repeat(301), /at most 300/],
    ["https://", /host is missing/],
  ])("%j is refused: %s", (input, message) => {
    const error = registryAddressError(input);
    expect(error).toMatch(message);
  });
});

describe("registryRepositoryError", () => {
  it.each(["library/busybox", "test/busybox", "a", "a/b/c", "my-app", "my__app", "my.app/x_y"])("%s is a repository", (r) => {
    expect(registryRepositoryError(r)).toBeUndefined();
  });
  it.each(["", "../etc", "a/../b", "a//b", "/a", "a/", "A/b", "a b", "a:tag", "a@sha256:x", "-a", "a\u0000", "x".repeat(256)])("%j is refused", (r) => {
    expect(registryRepositoryError(r)).toBeTruthy();
  });
});
