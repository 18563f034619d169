/**
 * What the fuzz test sends, as fast-check arbitraries of concrete requests:
 * every tRPC procedure of the real router (its input shaped by its own schema,
 * then broken), raw malformed tRPC requests, the download routes, sign-in, a
 * few page paths, and WebSocket frames for /api/ws.
 *
 * Container references follow the rules of fuzz-cases.ts; creates are named
 * with the same prefix and removed by the spec.
 */
import fc from "fast-check";
import { z } from "zod";
import { appRouter } from "../../server/api/routers/index";
import { logsParamsSchema } from "../../runtime/protocol/index";
import { channelSchemas } from "../../server/realtime/protocol";
import { runSpecSchema } from "../../runtime/run-spec";
import { fuzzedArb, jsonSchemaOf, replacementArb, setOwn, validArb, type JsonSchema } from "./fuzz-schema";
import { aimAtEnv, aimAtFixture, confine, enc, ENV, PREFIX, REF_KEYS, type FuzzCase, type HttpCase } from "./fuzz-cases";
import { catastrophicRegexes, huge, hugeStringArb, invalidUtf8Arb, nastyStringArb, nastyValueArb, protoArb, protoKeys } from "./fuzz-values";

export interface Procedure {
  path: string;
  type: "query" | "mutation" | "subscription";
  schema?: JsonSchema;
}

interface ProcDef {
  _def: { type: Procedure["type"]; inputs?: z.ZodType[] };
}

/** Every procedure of the real router, so a new one is fuzzed without editing this file. */
export function procedures(): Procedure[] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, ProcDef>).map(([path, p]) => {
    const input = p._def.inputs?.[0];
    return { path, type: p._def.type, ...(input ? { schema: jsonSchemaOf(input) } : {}) };
  });
}

// ------------------------------------------------------------------ create specs

/** RunSpec fields that reach the host or other containers: only ever given hostile values, and never started. */
const HOST_FIELDS = new Set(["volumes", "mounts", "volumesFrom", "links", "devices", "deviceCgroupRules", "gpus", "privileged", "capAdd", "securityOpt", "sysctls", "pid", "ipc", "uts", "userns", "cgroupns", "network", "cgroupParent", "runtime", "logDriver", "logOpts", "volumeDriver", "ports", "publishAll", "restart", "restartMaxRetries", "ip", "ip6", "macAddress"]);
const imageTricks = ["a/../../b", "busybox/../../x", "../busybox", "busybox:..", "busybox@sha256:..", "BUSYBOX", "busybox:", ":latest", "127.0.0.1:1/x", "localhost/../../images", "busybox\u0000", "busybox latest", "busybox?x=1", "busybox#frag", "busybox%2f..%2f..", `busybox:${"t".repeat(200)}`, `${"a/".repeat(200)}b`];

function createInputArb(): fc.Arbitrary<unknown> {
  const spec = jsonSchemaOf(runSpecSchema);
  const fields = Object.keys(spec.properties ?? {});
  const safe = fields.filter((f) => !HOST_FIELDS.has(f) && f !== "name" && f !== "image");
  return fc
    .record({
      n: fc.nat(),
      valid: fc.subarray(safe, { maxLength: 2 }).chain((keys) => fc.tuple(...keys.map((k) => validArb(spec.properties![k]!).map((v) => [k, v] as const)))),
      field: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...fields) }, { weight: 1, arbitrary: fc.constantFrom(...protoKeys) }, { weight: 1, arbitrary: nastyStringArb.filter((s) => s.length < 64) }),
      value: fc.oneof({ weight: 6, arbitrary: replacementArb }, { weight: 2, arbitrary: fc.constantFrom(...imageTricks) }),
      whole: fc.nat(19),
      start: fc.nat(4),
    })
    .map(({ n, valid, field, value, whole, start }) => {
      if (whole === 0) return { env: ENV, spec: value, createOnly: true };
      const s: Record<string, unknown> = { name: `${PREFIX}c${n}`, image: "busybox", command: ["true"] };
      for (const [k, v] of valid) s[k] = v;
      setOwn(s, field, field === "name" && typeof value === "string" ? PREFIX + value : value);
      return { env: whole === 1 ? value : ENV, spec: s, createOnly: HOST_FIELDS.has(field) || start !== 0 };
    });
}

// ------------------------------------------------------------------ tRPC

const wire = (input: unknown) => JSON.stringify({ json: input === undefined ? null : input });

function trpcCaseArb(p: Procedure): fc.Arbitrary<FuzzCase> {
  const input =
    p.path === "containerCreate.create"
      ? createInputArb()
      : p.schema
        ? fuzzedArb(p.schema)
        : fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: nastyValueArb });
  return fc.tuple(input, fc.nat(), fc.nat(39)).map(([raw, bits, how]): FuzzCase => {
    const aimed = aimAtEnv(raw, bits >> 3);
    const value = p.type === "mutation" ? confine(aimed) : aimAtFixture(aimed, bits);
    const target = `trpc ${p.path}`;
    const asQuery = (v: string): HttpCase => ({ kind: "http", target, method: "GET", path: `/api/trpc/${p.path}?input=${enc(v)}` });
    const asMutation = (v: string): HttpCase => ({ kind: "http", target, method: "POST", path: `/api/trpc/${p.path}`, body: v, headers: { "content-type": "application/json" } });
    const send = p.type === "query" ? asQuery : asMutation;
    if (how === 0) return { ...send(wire(value)), auth: false, target: `${target} (signed out)` };
    // The other verb: a query POSTed, a mutation over GET.
    if (how === 1) return { ...(p.type === "query" ? asMutation : asQuery)(wire(value)), target: `${target} (wrong verb)` };
    if (how === 2) {
      const batch = JSON.stringify({ 0: { json: value ?? null } });
      return p.type === "query"
        ? { kind: "http", target: `${target} (batch)`, method: "GET", path: `/api/trpc/${p.path}?batch=1&input=${enc(batch)}` }
        : { kind: "http", target: `${target} (batch)`, method: "POST", path: `/api/trpc/${p.path}?batch=1`, body: batch, headers: { "content-type": "application/json" } };
    }
    return send(wire(value));
  });
}

/** superjson's `meta` rebuilds types and shared references on the server: fuzz that too. */
const metaTricks: unknown[] = [
  '{"values":{"__proto__":["undefined"]}}',
  '{"values":{"__proto__.polluted":["undefined"]}}',
  '{"values":{"constructor.prototype.polluted":["undefined"]}}',
  '{"values":{"id":["bigint"]}}',
  '{"values":{"id":["Date"]}}',
  '{"values":{"id":["regexp"]}}',
  '{"values":{"id":[["custom","nope"]]}}',
  '{"values":{"id":[["class","Nope"]]}}',
  '{"values":{"id":["set"]}}',
  '{"values":{"id":["map"]}}',
  '{"values":{"id":["number"]}}',
  '{"values":["undefined"]}',
  '{"values":[["symbol","x"]]}',
  '{"referentialEqualities":{"id":["spec"]}}',
  '{"referentialEqualities":{"":["spec.self"]}}',
  '{"referentialEqualities":{"spec":["spec.self","spec.self.self"]}}',
  '"not-an-object"',
  "null",
  "[]",
].map((m) => JSON.parse(m as string));

function rawTrpcArb(procs: Procedure[]): fc.Arbitrary<FuzzCase> {
  const paths = [...procs.map((p) => p.path), "nope", "containers", "__proto__", "containers.__proto__", "constructor", "setup.createAdmin.x", "..%2f..%2fhealth", "%ZZ", "%FF%FE", "a".repeat(5000), procs.map((p) => p.path).join(","), Array(300).fill("containers.list").join(",")];
  const bodies: fc.Arbitrary<{ body: string | Buffer; type?: string; label: string }> = fc.oneof(
    fc.constantFrom("", "{", '{"json":', "null", "[]", `{"json":{"id":"${PREFIX}a"},"meta":`, "{}", '{"json":1}{"json":2}', "\uFEFF{}", "json=1", `{"json":{"id":"${PREFIX}a"}}\u0000`).map((b) => ({ body: b, label: "malformed JSON" })),
    invalidUtf8Arb.map((b) => ({ body: Buffer.concat([Buffer.from('{"json":{"id":"'), b, Buffer.from('","spec":{"image":"'), b, Buffer.from('"}}}')]), label: "invalid UTF-8 in a string" })),
    invalidUtf8Arb.map((b) => ({ body: Buffer.concat([b, Buffer.from("{}")]), label: "invalid UTF-8 bytes" })),
    fc.constantFrom(1000, 10_000, 100_000).map((d) => ({ body: `{"json":${"[".repeat(d)}${"]".repeat(d)}}`, label: `JSON nested ${d} deep` })),
    fc.constantFrom(10_000, 100_000).map((d) => ({ body: `{"json":${'{"a":'.repeat(d)}1${"}".repeat(d)}}`, label: `objects nested ${d} deep` })),
    fc.tuple(fc.constantFrom(...metaTricks), fc.constantFrom<unknown>({ id: `${PREFIX}1` }, { spec: { self: {} } }, "x", 1, null)).map(([meta, json]) => ({ body: JSON.stringify({ json, meta }), label: "superjson meta" })),
    fc.constantFrom(1000, 100_000).map((d) => ({ body: JSON.stringify({ json: { id: `${PREFIX}x`, n: "9".repeat(d) }, meta: { values: { n: ["bigint"] } } }), label: `bigint of ${d} digits` })),
    fc.constantFrom("text/plain", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=latin1", "").map((t) => ({ body: `{"json":{"id":"${PREFIX}a"}}`, type: t, label: "content type" })),
  );
  const queries = fc.oneof(
    fc.constantFrom("input=%ZZ", "input=%FF%FE", "input=%C0%AF", "input=%ED%A0%80", "input=%00", "input=", "input", "batch=1&input=%7B%7D", "batch=1&input=%5B%5D", "batch=x", `input=${"%5B".repeat(5000)}`, `input=${"x".repeat(20_000)}`, "input=%7B%22json%22%3A%7B%22__proto__%22%3A%7B%22polluted%22%3A1%7D%7D%7D"),
    nastyValueArb.map((v) => `input=${enc(JSON.stringify(v) ?? "").slice(0, 8000)}`),
  );
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), bodies).map(([path, b]): FuzzCase => ({
      kind: "http",
      target: `trpc raw POST (${b.label})`,
      method: "POST",
      path: `/api/trpc/${path.replace(/%(?![0-9A-F]{2})/gi, "%25")}`,
      body: b.body,
      headers: { "content-type": b.type ?? "application/json" },
    })),
    fc.tuple(fc.constantFrom(...paths), queries).map(([path, q]): FuzzCase => ({ kind: "http", target: "trpc raw GET", method: "GET", path: `/api/trpc/${path}?${q}` })),
    fc.tuple(fc.constantFrom(...paths), fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE")).map(([path, m]): FuzzCase => ({ kind: "http", target: `trpc raw ${m}`, method: m, path: `/api/trpc/${path}`, ...(m === "TRACE" || m === "HEAD" ? {} : { body: "{}" }) })),
  );
}

// ------------------------------------------------------------------ download routes, sign-in, pages

/** A path segment as a hostile client would write it: encoded, half-encoded, or broken. */
const segmentArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyStringArb.filter((s) => s.length < 5000).map((s) => enc(PREFIX + s)) },
  { weight: 2, arbitrary: fc.constantFrom("%ZZ", "%", "%FF", "%C0%AF", "%00", "..%2F..", "%2e%2e", "a%2Fb", "%E2%80%AE", `${PREFIX}x%00`, "$FIXTURE", "$FIXTURE_ID") },
);

const queryValueArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: nastyStringArb.filter((s) => s.length < 8000) },
  { weight: 2, arbitrary: fc.constantFrom("1", "0", "true", "all", "-1", "1e999", "NaN", "2024-01-01T00:00:00Z", "2024-13-45T99:99:99Z", "0001-01-01", "9999999999999", "$FIXTURE", "$FIXTURE_ID", `$FIXTURE,${PREFIX}x`) },
  { weight: 1, arbitrary: fc.constantFrom(...catastrophicRegexes) },
);
const queryArb: fc.Arbitrary<string> = fc
  .array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom("tail", "since", "until", "stdout", "stderr", "timestamps", "q", "regex", "case", "invert", "ids", "project", "container") }, { weight: 1, arbitrary: fc.constantFrom(...protoKeys, "", "%ZZ") }), queryValueArb), { maxLength: 6 })
  .chain((pairs) =>
    fc.constantFrom("", "%ZZ&", "%FF=%FE&").map((junk) => junk + pairs.map(([k, v]) => `${k}=${enc(REF_KEYS.has(k) && !v.startsWith("$FIXTURE") ? confine(v, true) as string : v)}`).join("&")),
  );

/** Mostly the real environment (so the route is reached), sometimes an unknown or broken one. */
const envSegmentArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constant(ENV) },
  { weight: 1, arbitrary: fc.constantFrom("nope", "LOCAL", "local%00", "%6cocal", "-x", "a".repeat(65), "%ZZ", "..", "%2e%2e") },
  { weight: 1, arbitrary: segmentArb.map((s) => (s.startsWith("$FIXTURE") ? "x" : s)) },
);

const downloadArb: fc.Arbitrary<FuzzCase> = fc.oneof(
  fc.tuple(envSegmentArb, segmentArb, queryArb).map(([env, id, q]): FuzzCase => ({ kind: "http", target: "GET /api/e/<env>/containers/<id>/export", method: "GET", path: `/api/e/${env}/containers/${id === "$FIXTURE" || id === "$FIXTURE_ID" ? `${PREFIX}x` : id}/export?${q}` })),
  fc.tuple(envSegmentArb, segmentArb, queryArb).map(([env, id, q]): FuzzCase => ({ kind: "http", target: "GET /api/e/<env>/containers/<id>/logs/download", method: "GET", path: `/api/e/${env}/containers/${id}/logs/download?${q}` })),
  fc.tuple(envSegmentArb, queryArb).map(([env, q]): FuzzCase => ({ kind: "http", target: "GET /api/e/<env>/logs/download", method: "GET", path: `/api/e/${env}/logs/download?${q}` })),
  fc.tuple(envSegmentArb, queryArb).map(([env, q]): FuzzCase => ({ kind: "http", target: "GET /api/e/<env>/logs/history/download", method: "GET", path: `/api/e/${env}/logs/history/download?${q}` })),
  fc.tuple(fc.constantFrom("POST", "PUT", "DELETE"), fc.constantFrom(`/api/e/${ENV}/containers/${PREFIX}x/export`, `/api/e/${ENV}/logs/download`, `/api/e/${ENV}/logs/history/download`)).map(([m, path]): FuzzCase => ({ kind: "http", target: `${m} download route`, method: m, path, body: "x" })),
  fc.tuple(envSegmentArb, segmentArb, queryArb).map(([env, id, q]): FuzzCase => ({ kind: "http", target: "download signed out", method: "GET", path: `/api/e/${env}/containers/${id}/logs/download?${q}`, auth: false })),
  // The addresses from before environments: refused, never served.
  fc.tuple(fc.constantFrom(`/api/containers/${PREFIX}x/export`, `/api/containers/${PREFIX}x/logs/download`, "/api/logs/download", "/api/logs/history/download"), queryArb).map(([path, q]): FuzzCase => ({ kind: "http", target: "GET unscoped download", method: "GET", path: `${path}?${q}` })),
);

const signInArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(fc.oneof({ weight: 20, arbitrary: nastyStringArb }, { weight: 1, arbitrary: hugeStringArb }), nastyStringArb, fc.nat(5))
  .map(([username, password, how]): FuzzCase => {
    // Never the administrator's own name: locking it out would end the run's session.
    const user = username.trim().toLowerCase() === "admin" ? `${username}x` : username;
    const form = new URLSearchParams({ csrfToken: how === 0 ? "wrong" : "$CSRF", username: user, password, json: "true" }).toString();
    const body = how === 1 ? Buffer.concat([Buffer.from(form), Buffer.from([0xff, 0xfe])]) : how === 2 ? JSON.stringify({ csrfToken: "$CSRF", username: user, password }) : form;
    return { kind: "http", target: "POST /api/auth/callback/credentials", method: "POST", path: "/api/auth/callback/credentials", body, headers: { "content-type": how === 2 ? "application/json" : "application/x-www-form-urlencoded" } };
  });

const pageArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(fc.constantFrom("/", "/containers/", `/e/${ENV}/containers/`, "/e/", "/login?callbackUrl=", "/setup?x=", "/audit?action=", "/_next/", "/api/", "/api/auth/"), segmentArb)
  .map(([base, seg]): FuzzCase => ({ kind: "http", target: `GET page ${base}…`, method: "GET", path: `${base}${seg === "$FIXTURE" || seg === "$FIXTURE_ID" ? "x" : seg}` }));

// ------------------------------------------------------------------ WebSocket

function wsArb(): fc.Arbitrary<FuzzCase> {
  const params = jsonSchemaOf(logsParamsSchema);
  const open = fc.tuple(fuzzedArb(params), fc.nat(), fc.nat(9), envSegmentArb).map(([p, bits, how, env]): FuzzCase => {
    const sid = `s${bits}`;
    const aimed = aimAtFixture(p, bits);
    // Streams that follow are closed once they answer; a few searches are made expensive on purpose.
    const withRegex = how === 0 ? { ...(aimed as object), id: "$FIXTURE", follow: false, search: { q: catastrophicRegexes[bits % catastrophicRegexes.length], regex: true } } : aimed;
    return { kind: "ws", target: how === 0 ? "ws subscribe logs (backtracking regex)" : "ws subscribe logs", data: JSON.stringify({ type: "subscribe", id: sid, channel: "logs", env, params: withRegex }), sid };
  });
  // Every other channel of the hub's table, its params shaped by its own schema then broken: a new
  // channel is fuzzed without editing this file. Streams are closed once they answer (a shell too).
  const others = Object.entries(channelSchemas)
    .filter(([name]) => name !== "logs")
    .map(([name, schema]) => {
      const shape = jsonSchemaOf(schema.params);
      return fc.tuple(fuzzedArb(shape), fc.nat(), envSegmentArb).map(([p, bits, env]): FuzzCase => {
        const sid = `s${bits}`;
        return { kind: "ws", target: `ws subscribe ${name}`, data: JSON.stringify({ type: "subscribe", id: sid, channel: name, env, params: aimAtFixture(p, bits) }), sid };
      });
    });
  // Input to subscriptions: control messages and binary frames (id length, id, bytes), for ids that may or may not be open.
  const control = fc.tuple(fc.nat(40), nastyValueArb, fc.constantFrom("resize", "pause", "resume", "nope")).map(([n, v, t]): FuzzCase => ({
    kind: "ws",
    target: "ws control",
    data: JSON.stringify({ type: "control", id: `s${n}`, data: n % 2 ? { type: t, cols: v, rows: v } : v }),
  }));
  const binaryInput = fc.tuple(fc.nat(40), fc.uint8Array({ maxLength: 256 }), fc.nat(3)).map(([n, bytes, how]): FuzzCase => {
    const id = Buffer.from(how === 0 ? "x".repeat(65) : `s${n}`);
    const head = how === 1 ? Buffer.from([0]) : Buffer.from([id.length]);
    return { kind: "ws", target: "ws binary input", data: Buffer.concat([head, id, Buffer.from(bytes)]), binary: true };
  });
  const envelope = fc
    .tuple(fc.constantFrom("subscribe", "unsubscribe", "ping", "nope", "__proto__", ""), replacementArb, fc.constantFrom(...Object.keys(channelSchemas), "nope", "__proto__", ""), envSegmentArb, nastyValueArb)
    .map(([type, id, channel, env, params]): FuzzCase => ({
      kind: "ws",
      target: "ws message (bad envelope)",
      data: JSON.stringify({ type, id, channel, env, params }),
    }));
  return fc.oneof(
    { weight: 40, arbitrary: open },
    ...others.map((arbitrary) => ({ weight: 8, arbitrary })),
    { weight: 6, arbitrary: control },
    { weight: 6, arbitrary: binaryInput },
    { weight: 8, arbitrary: fc.nat().map((n): FuzzCase => ({ kind: "ws", target: "ws unsubscribe", data: JSON.stringify({ type: "unsubscribe", id: `s${n}` }) })) },
    { weight: 12, arbitrary: envelope },
    { weight: 8, arbitrary: nastyValueArb.map((v): FuzzCase => ({ kind: "ws", target: "ws message (any JSON)", data: JSON.stringify(v) ?? "null" })) },
    { weight: 4, arbitrary: protoArb.map((v): FuzzCase => ({ kind: "ws", target: "ws message (prototype keys)", data: JSON.stringify(v) })) },
    { weight: 4, arbitrary: fc.constantFrom("", "{", "not json", "\u0000", '{"type":"subscribe","id":"s1","channel":"logs","params":', `${"[".repeat(100_000)}${"]".repeat(100_000)}`).map((d): FuzzCase => ({ kind: "ws", target: "ws text (not JSON)", data: d })) },
    { weight: 4, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b): FuzzCase => ({ kind: "ws", target: "ws binary frame", data: Buffer.from(b), binary: true })) },
    { weight: 4, arbitrary: invalidUtf8Arb.map((b): FuzzCase => ({ kind: "ws", target: "ws text frame (invalid UTF-8)", data: Buffer.concat([Buffer.from('{"type":"subscribe","channel":"logs","env":"local","id":"'), b, Buffer.from('"}')]) })) },
    { weight: 1, arbitrary: fc.constant<FuzzCase>({ kind: "ws", target: "ws deep params", data: `{"type":"subscribe","id":"deep","channel":"logs","env":"${ENV}","params":${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`, sid: "deep" }) },
  );
}

/** Backtracking patterns over the fixture's `aaaa…!` lines, through every way a search reaches the runtime. */
const regexArb: fc.Arbitrary<FuzzCase> = fc.tuple(fc.constantFrom(...catastrophicRegexes), fc.nat(2)).map(([q, how]): FuzzCase => {
  const query = `q=${enc(q)}&regex=1&tail=200`;
  if (how === 0) return { kind: "http", target: "GET /api/e/<env>/containers/<id>/logs/download (backtracking regex)", method: "GET", path: `/api/e/${ENV}/containers/$FIXTURE/logs/download?${query}` };
  if (how === 1) return { kind: "http", target: "GET /api/e/<env>/logs/history/download (backtracking regex)", method: "GET", path: `/api/e/${ENV}/logs/history/download?container=$FIXTURE&${query}` };
  const input = JSON.stringify({ json: { env: ENV, container: "$FIXTURE", search: { q, regex: true } } });
  return { kind: "http", target: "trpc logs.historySearch (backtracking regex)", method: "GET", path: `/api/trpc/logs.historySearch?input=${enc(input)}` };
});

/** Bodies and frames of a few MB, credentials included: a handful per run, they are slow to send. */
const hugeArb: fc.Arbitrary<FuzzCase> = fc
  .tuple(fc.constantFrom(huge.m1, huge.m3), fc.constantFrom("containers.rename", "containerCreate.create", "containers.list", "setup.createAdmin", "sign-in", "ws"))
  .map(([s, to]): FuzzCase => {
    if (to === "ws") return { kind: "ws", target: "ws huge frame", data: JSON.stringify({ type: "subscribe", id: "big", channel: "logs", env: ENV, params: { id: s } }) };
    if (to === "sign-in") {
      const body = new URLSearchParams({ csrfToken: "$CSRF", username: s, password: "x", json: "true" }).toString();
      return { kind: "http", target: "POST /api/auth/callback/credentials (huge)", method: "POST", path: "/api/auth/callback/credentials", body, headers: { "content-type": "application/x-www-form-urlencoded" } };
    }
    const json = to === "setup.createAdmin" ? { setupToken: "x", username: s, password: "x".repeat(20), confirmPassword: "x".repeat(20) } : { id: PREFIX + s, name: PREFIX + s, spec: { image: s } };
    return { kind: "http", target: `trpc raw POST (body of ${Math.round(s.length / 1e6)} MB)`, method: "POST", path: `/api/trpc/${to}`, body: JSON.stringify({ json }), headers: { "content-type": "application/json" } };
  });

/** All cases, weighted so a run of ~12,000 reaches every procedure and route many times. */
export function caseArb(procs: Procedure[]): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    ...procs.filter((p) => p.type !== "subscription").map((p) => ({ weight: 20, arbitrary: trpcCaseArb(p) })),
    { weight: 70, arbitrary: rawTrpcArb(procs) },
    { weight: 90, arbitrary: downloadArb },
    { weight: 2, arbitrary: signInArb },
    { weight: 20, arbitrary: pageArb },
    { weight: 400, arbitrary: wsArb() },
    { weight: 3, arbitrary: hugeArb },
    { weight: 5, arbitrary: regexArb },
  );
}
