/**
 * The runtime's registry client against a small token-auth registry served
 * here (the shape of Docker Hub's: 401 with a Bearer challenge, a token realm
 * that checks Basic credentials), so the token flow, `Link` paging, digests,
 * sizes and the bounds are exercised without the internet: a request that
 * hangs ends at its deadline, an oversized answer is refused, a `Link` to
 * another host is not followed.
 */
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog, deleteTag, tags } from "../../runtime/registries/browse";
import { parseChallenge, RegistrySession } from "../../runtime/registries/v2-client";
import { RuntimeFailure } from "../../runtime/engine/errors";

const USER = "alice";
const PASS = "s3cret";
const TOKEN = "tok-123";
const REPOS = Array.from({ length: 250 }, (_, i) => `team/app-${String(i).padStart(3, "0")}`);
const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.docker.distribution.manifest.v2+json",
  config: { mediaType: "application/vnd.docker.container.image.v1+json", size: 1000, digest: "sha256:" + "c".repeat(64) },
  layers: [
    { size: 20_000, digest: "sha256:" + "1".repeat(64) },
    { size: 300, digest: "sha256:" + "2".repeat(64) },
  ],
});
const digest = `sha256:${crypto.createHash("sha256").update(manifest).digest("hex")}`;
const index = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [{ digest, size: manifest.length, platform: { os: "linux", architecture: "arm64", variant: "v8" } }],
});
const seen: { path: string; auth?: string; method: string }[] = [];
let deleted = false;
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, "http://x");
    seen.push({ path: url.pathname + url.search, auth: req.headers.authorization, method: req.method! });
    if (url.pathname === "/token") {
      const ok = req.headers.authorization === `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(ok ? JSON.stringify({ token: TOKEN, scope: url.searchParams.get("scope") }) : "{}");
      return;
    }
    if (url.pathname === "/hang/v2/_catalog") return; // never answers
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      const scope = url.pathname.startsWith("/v2/_catalog") ? "registry:catalog:*" : `repository:team/app-000:${req.method === "DELETE" ? "delete" : "pull"}`;
      res.writeHead(401, { "www-authenticate": `Bearer realm="${base}/token",service="fake.registry",scope="${scope}"`, "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "UNAUTHORIZED", message: "authentication required" }] }));
      return;
    }
    if (url.pathname === "/v2/_catalog") {
      const last = url.searchParams.get("last");
      const n = Number(url.searchParams.get("n"));
      const from = last ? REPOS.indexOf(last) + 1 : 0;
      const page = REPOS.slice(from, from + n);
      const next = from + n < REPOS.length ? { link: `</v2/_catalog?last=${page.at(-1)}&n=${n}>; rel="next"` } : {};
      res.writeHead(200, { "content-type": "application/json", ...next }).end(JSON.stringify({ repositories: page }));
      return;
    }
    if (url.pathname === "/v2/team/app-000/tags/list") {
      res.writeHead(200, { link: '<http://elsewhere.example/v2/team/app-000/tags/list?last=x>; rel="next"' }).end(JSON.stringify({ name: "team/app-000", tags: deleted ? ["multi"] : ["one", "multi"] }));
      return;
    }
    if (url.pathname === "/v2/team/app-000/manifests/one" || url.pathname === `/v2/team/app-000/manifests/${digest}`) {
      if (req.method === "DELETE") {
        deleted = true;
        res.writeHead(202).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/vnd.docker.distribution.manifest.v2+json", "docker-content-digest": digest });
      res.end(req.method === "HEAD" ? undefined : manifest);
      return;
    }
    if (url.pathname === "/v2/team/app-000/manifests/multi") {
      res.writeHead(200, { "content-type": "application/vnd.oci.image.index.v1+json" }).end(index);
      return;
    }
    if (url.pathname === "/v2/team/huge/tags/list") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ tags: ["x".repeat(5 * 1024 * 1024)] }));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errors: [{ code: "NAME_UNKNOWN", message: "repository name not known to registry" }] }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const endpoint = (auth = true) => ({
  url: base.slice("http://".length),
  insecure: true,
  ...(auth ? { auth: { username: USER, password: PASS, serveraddress: base.slice(7) } } : {}),
});
const session = (auth = true, timeoutMs?: number) => new RegistrySession(endpoint(auth), AbortSignal.timeout(20_000), timeoutMs);

async function failure(p: Promise<unknown>): Promise<RuntimeFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RuntimeFailure) return err;
    throw err;
  }
  throw new Error("it succeeded");
}

describe("registry v2 client", () => {
  it("parses Bearer challenges with quoted commas", () => {
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:a/b:pull,push"')).toEqual({
      scheme: "bearer",
      params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:a/b:pull,push" },
    });
    expect(parseChallenge('Basic realm="x"').scheme).toBe("basic");
  });

  it("catalogue: token flow with the credentials, every Link page, one token per scope", async () => {
    seen.length = 0;
    const r = await catalog(session());
    expect(r).toEqual({ repositories: REPOS, truncated: false });
    const tokenCalls = seen.filter((s) => s.path.startsWith("/token"));
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0]!.path).toContain("service=fake.registry");
    expect(decodeURIComponent(tokenCalls[0]!.path)).toContain("scope=registry:catalog:*");
    // Three pages of 100, each after the first with the token already held.
    expect(seen.filter((s) => s.path.startsWith("/v2/_catalog") && s.auth === `Bearer ${TOKEN}`)).toHaveLength(3);
  });

  it("wrong or missing credentials: UNAUTHORIZED, saying which", async () => {
    const wrong = new RegistrySession({ ...endpoint(), auth: { username: USER, password: "nope", serveraddress: "x" } }, AbortSignal.timeout(5000));
    const e1 = await failure(catalog(wrong));
    expect(e1.error.code).toBe("UNAUTHORIZED");
    expect(e1.message).toMatch(/user name or password is wrong/);
    const e2 = await failure(catalog(session(false)));
    expect(e2.error.code).toBe("UNAUTHORIZED");
    expect(e2.message).toMatch(/needs credentials/);
  });

  it("tags: digest and size (config + layers); an index lists its platforms; a Link elsewhere is not followed", async () => {
    seen.length = 0;
    const r = await tags(session(), "team/app-000");
    expect(r.truncated).toBe(false);
    expect(r.tags).toEqual([
      { tag: "one", digest, mediaType: "application/vnd.docker.distribution.manifest.v2+json", size: 21_300 },
      {
        tag: "multi",
        digest: `sha256:${crypto.createHash("sha256").update(index).digest("hex")}`,
        mediaType: "application/vnd.oci.image.index.v1+json",
        platforms: [{ digest, os: "linux", architecture: "arm64", variant: "v8", size: 21_300 }],
      },
    ]);
    expect(seen.every((s) => !s.path.includes("elsewhere"))).toBe(true);
  });

  it("deleteTag: HEAD for the digest, then DELETE by digest", async () => {
    seen.length = 0;
    expect(await deleteTag(session(), "team/app-000", "one")).toEqual({ repository: "team/app-000", tag: "one", digest });
    expect(seen.filter((s) => s.method === "DELETE").map((s) => s.path)).toEqual([`/v2/team/app-000/manifests/${digest}`, `/v2/team/app-000/manifests/${digest}`]);
    expect((await tags(session(), "team/app-000")).tags.map((t) => t.tag)).toEqual(["multi"]);
  });

  it("an unknown repository is NOT_FOUND with the registry's words", async () => {
    const e = await failure(tags(session(), "team/none"));
    expect(e.error.code).toBe("NOT_FOUND");
    expect(e.message).toMatch(/NAME_UNKNOWN/);
  });

  it("an answer over the size limit is refused, not read whole", async () => {
    const e = await failure(tags(session(), "team/huge"));
    expect(e.message).toMatch(/over Berth's limit/);
  });

  it("a registry that never answers: TIMEOUT at the request's deadline", async () => {
    const hang = new RegistrySession({ url: `${base.slice(7)}`, insecure: true }, AbortSignal.timeout(20_000), 500);
    // The hanging path is below a prefix: reach it through a session whose base has it.
    (hang as unknown as { base: string }).base = `${base}/hang`;
    const t0 = Date.now();
    const e = await failure(catalog(hang));
    expect(e.error.code).toBe("TIMEOUT");
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
