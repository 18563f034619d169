/**
 * The image reference grammar against the cases of distribution/reference's own
 * tests (reference_test.go TestReferenceParse, regexp_test.go) and the inputs that
 * once reached the engine.
 */
import { describe, expect, it } from "vitest";
import { imageReferenceError, parseImageReference, repositoryError, tagError } from "../../runtime/run-spec/image-reference";
import { validateRunSpec } from "../../runtime/run-spec";

const hex64 = "f".repeat(64);

/** input → expected name, tag, digest (as distribution/reference parses them). */
const valid: [string, { name: string; tag?: string; digest?: string }][] = [
  ["test_com", { name: "test_com" }],
  ["test.com:tag", { name: "test.com", tag: "tag" }],
  ["test.com:5000", { name: "test.com", tag: "5000" }],
  ["test.com/repo:tag", { name: "test.com/repo", tag: "tag" }],
  ["test:5000/repo", { name: "test:5000/repo" }],
  ["test:5000/repo:tag", { name: "test:5000/repo", tag: "tag" }],
  [`test:5000/repo@sha256:${hex64}`, { name: "test:5000/repo", digest: `sha256:${hex64}` }],
  [`test:5000/repo:tag@sha256:${hex64}`, { name: "test:5000/repo", tag: "tag", digest: `sha256:${hex64}` }],
  ["lowercase:Uppercase", { name: "lowercase", tag: "Uppercase" }],
  [`${"a/".repeat(127)}a:tag-puts-this-over-max`, { name: `${"a/".repeat(127)}a`, tag: "tag-puts-this-over-max" }],
  ["sub-dom1.foo.com/bar/baz/quux", { name: "sub-dom1.foo.com/bar/baz/quux" }],
  ["sub-dom1.foo.com/bar/baz/quux:some-long-tag", { name: "sub-dom1.foo.com/bar/baz/quux", tag: "some-long-tag" }],
  ["b.gcr.io/test.example.com/my-app:test.example.com", { name: "b.gcr.io/test.example.com/my-app", tag: "test.example.com" }],
  ["xn--n3h.com/myimage:xn--n3h.com", { name: "xn--n3h.com/myimage", tag: "xn--n3h.com" }],
  [`xn--7o8h.com/myimage:xn--7o8h.com@sha512:${"f".repeat(128)}`, { name: "xn--7o8h.com/myimage", tag: "xn--7o8h.com", digest: `sha512:${"f".repeat(128)}` }],
  ["foo_bar.com:8080", { name: "foo_bar.com", tag: "8080" }],
  ["foo/foo_bar.com:8080", { name: "foo/foo_bar.com", tag: "8080" }],
  ["192.168.1.1", { name: "192.168.1.1" }],
  ["192.168.1.1:tag", { name: "192.168.1.1", tag: "tag" }],
  ["192.168.1.1:5000", { name: "192.168.1.1", tag: "5000" }],
  ["192.168.1.1/repo", { name: "192.168.1.1/repo" }],
  ["192.168.1.1:5000/repo", { name: "192.168.1.1:5000/repo" }],
  ["192.168.1.1:5000/repo:5050", { name: "192.168.1.1:5000/repo", tag: "5050" }],
  ["[2001:db8::1]/repo", { name: "[2001:db8::1]/repo" }],
  ["[2001:db8:1:2:3:4:5:6]/repo:tag", { name: "[2001:db8:1:2:3:4:5:6]/repo", tag: "tag" }],
  ["[2001:db8::1]:5000/repo", { name: "[2001:db8::1]:5000/repo" }],
  ["[2001:db8::1]:5000/repo:tag", { name: "[2001:db8::1]:5000/repo", tag: "tag" }],
  [`[2001:db8::1]:5000/repo@sha256:${hex64}`, { name: "[2001:db8::1]:5000/repo", digest: `sha256:${hex64}` }],
  ["[2001:db8::]:5000/repo", { name: "[2001:db8::]:5000/repo" }],
  ["[::1]:5000/repo", { name: "[::1]:5000/repo" }],
  // "Uppercase" before a slash is read as a domain (distribution/reference's FIXME): Docker takes it too.
  ["Uppercase/lowercase:tag", { name: "Uppercase/lowercase", tag: "tag" }],
  ["nginx", { name: "nginx" }],
  ["library/nginx:1.27-alpine", { name: "library/nginx", tag: "1.27-alpine" }],
  ["localhost:5000/a__b/c---d", { name: "localhost:5000/a__b/c---d" }],
];

/** input → what the error must say (distribution/reference's error in words). */
const invalid: [string, RegExp][] = [
  ["", /empty/],
  [":justtag", /repository name is missing/],
  [`@sha256:${hex64}`, /./],
  ["repo@sha256:ffffffffffffffffffffffffffffffffff", /sha256 digest has 64 hex digits, not 34/],
  [`validname@invaliddigest:${hex64}`, /unsupported digest algorithm "invaliddigest"/],
  ["Uppercase:tag", /must be lowercase/],
  ["test:5000/Uppercase/lowercase:tag", /must be lowercase/],
  [`${"a/".repeat(128)}a:tag`, /not be more than 255 characters/],
  ["aa/asdf$$^/aa", /path component "asdf\$\$\^"/],
  ["[2001:db8::1]", /./],
  ["[2001:db8::1]:5000", /./],
  ["[2001:db8::1]:tag", /./],
  ["[fe80::1%eth0]:5000/repo", /./],
  ["[fe80::1%@invalidzone]:5000/repo", /./],
  // What once reached the engine.
  ["a/../../b", /path component "\.\."/],
  ["../b", /path component "\.\."/],
  ["a/./b", /path component "\."/],
  ["a//b", /path component ""/],
  ["nginx\u0000", /a control character at position 6/],
  ["ng inx", /a space at position 3/],
  ["nginx\n", /white space at position 6/],
  ["NGINX", /must be lowercase/],
  ["x".repeat(300), /not be more than 255 characters/],
  ["x".repeat(5000), /far beyond a reference/],
  ["nginx:", /the tag ""/],
  ["nginx:.bad", /the tag "\.bad"/],
  [`nginx:${"t".repeat(129)}`, /the tag/],
  ["a?b", /path component "a\?b"/],
  ["a%2F..%2Fb", /path component/],
  ["-a", /path component "-a"/],
  ["a-", /path component "a-"/],
  ["a..b", /path component "a\.\.b"/],
  ["a___b", /path component "a___b"/],
];

describe("parseImageReference", () => {
  for (const [input, want] of valid) {
    it(`accepts ${input.slice(0, 60)}`, () => {
      const r = parseImageReference(input);
      expect(r).toEqual({ ok: true, ref: want });
    });
  }
  for (const [input, message] of invalid) {
    it(`refuses ${JSON.stringify(input.slice(0, 60))}`, () => {
      const r = parseImageReference(input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error).toMatch(/^invalid reference format: /);
        expect(r.error).toMatch(message);
        expect(r.error.length).toBeLessThan(300);
      }
    });
  }

  it("takes image ids as docker run does", () => {
    expect(parseImageReference("a".repeat(64))).toMatchObject({ ok: true, ref: { id: "a".repeat(64) } });
    expect(parseImageReference(`sha256:${"b".repeat(64)}`)).toMatchObject({ ok: true, ref: { id: `sha256:${"b".repeat(64)}` } });
  });

  it("runs in linear time on hostile input", () => {
    const hostile = ["a".repeat(1024), "a-".repeat(512), `${"a.".repeat(511)}!`, "a_".repeat(512), `[${":".repeat(1000)}`, `${"a".repeat(300)}.${"a".repeat(300)}:${"1".repeat(400)}`];
    const start = performance.now();
    for (let i = 0; i < 20; i++) for (const h of hostile) imageReferenceError(h);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe("repository and tag (commit)", () => {
  it("a repository has no tag or digest and follows the name grammar", () => {
    expect(repositoryError("myorg/web")).toBeUndefined();
    expect(repositoryError("127.0.0.1:5000/web")).toBeUndefined();
    expect(repositoryError("[::1]:5000/web")).toBeUndefined();
    expect(repositoryError("web:1")).toMatch(/no tag here/);
    expect(repositoryError(`web@sha256:${hex64}`)).toMatch(/no digest/);
    expect(repositoryError("a/../../b")).toMatch(/^invalid reference format: .*"\.\."/);
    expect(repositoryError("Web")).toMatch(/lowercase/);
    expect(repositoryError("a".repeat(64))).toMatch(/image id/);
    expect(repositoryError("a".repeat(256))).toMatch(/255/);
  });

  it("a tag is [\\w][\\w.-]{0,127}", () => {
    expect(tagError("v1.2-rc_3")).toBeUndefined();
    expect(tagError("Latest")).toBeUndefined();
    expect(tagError(".v1")).toMatch(/invalid tag/);
    expect(tagError("-v1")).toMatch(/invalid tag/);
    expect(tagError("a".repeat(129))).toMatch(/128/);
    expect(tagError("a/b")).toMatch(/invalid tag/);
  });
});

describe("the create form's spec.image", () => {
  it("names the field", () => {
    const r = validateRunSpec({ image: "a/../../b" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors).toHaveLength(1);
      expect(r.errors[0].field).toBe("image");
      expect(r.errors[0].message).toMatch(/^image: invalid reference format: /);
    }
    expect(validateRunSpec({ image: " nginx:1.27 " }).ok).toBe(true);
    const empty = validateRunSpec({ image: "" });
    expect(!empty.ok && empty.errors.map((e) => e.message)).toEqual(["image: is required"]);
  });
});
