/**
 * Bad input to the log downloads and to kill gets a 400 that names the field,
 * through the dashboard (API only): a bad time, container id, pattern or signal
 * says which query parameter or field is wrong and what would do.
 */
import { expect, test } from "@playwright/test";
import { baseUrl } from "./env";
import { docker, dockerQuiet, signIn } from "./helpers";

const NAME = `berth-e2e-dlerr-${process.pid}`;
const REFUSED = "search: this pattern cannot run in linear time (backreferences, lookaround and repetition counts over 16 are not supported)";

test.beforeAll(() => {
  dockerQuiet("rm", "-f", NAME);
  docker("run", "-d", "--name", NAME, "busybox", "sh", "-c", "echo hello; sleep 600");
});

test.afterAll(() => dockerQuiet("rm", "-f", NAME));

test.beforeEach(async ({ page }) => signIn(page, "/"));

test("log and history downloads: each bad parameter is a 400 that names it", async ({ page }) => {
  const cases: [string, string | RegExp][] = [
    [`/api/e/local/logs/history/download?container=${NAME}&since=yesterday`, "since: must be a time (ISO 8601)"],
    [`/api/e/local/logs/history/download?container=${NAME}&until=soon`, "until: must be a time (ISO 8601)"],
    [`/api/e/local/logs/history/download?container=${NAME}&q=${"x".repeat(2001)}`, /^q: /],
    [`/api/e/local/logs/history/download?container=${NAME}&q=${encodeURIComponent("(")}&regex=1`, /^search: invalid regular expression: /],
    [`/api/e/local/logs/history/download?container=${NAME}&q=${encodeURIComponent("(a)\\1")}&regex=1`, REFUSED],
    [`/api/e/local/logs/download?ids=${NAME},bad!id`, "ids[1]: must be a container id or name"],
    [`/api/e/local/logs/download?project=p&since=yesterday`, "since: must be a time (ISO 8601)"],
    [`/api/e/local/logs/download`, "query: give exactly one of id, ids or project"],
    [`/api/e/local/containers/${NAME}/logs/download?tail=lots`, /^tail: /],
    [`/api/e/local/containers/${NAME}/logs/download?stdout=0&stderr=0`, /^stdout: choose at least one of stdout and stderr/],
    [`/api/e/local/containers/${NAME}/logs/download?q=${encodeURIComponent("(?<=a)b")}&regex=1`, REFUSED],
  ];
  for (const [path, message] of cases) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(400);
    const text = await res.text();
    if (typeof message === "string") expect(text, path).toBe(message);
    else expect(text, path).toMatch(message);
  }
  // And a good one still downloads.
  const ok = await page.request.get(`/api/e/local/containers/${NAME}/logs/download?q=${encodeURIComponent("(h+)+ello$")}&regex=1`);
  expect(ok.status()).toBe(200);
  expect(await ok.text()).toBe("hello\n");
});

test("kill with an unknown signal is a 400 naming the field signal, and the container keeps running", async ({ page }) => {
  const res = await page.request.post("/api/trpc/containers.kill", { headers: { origin: baseUrl() }, data: { json: { env: "local", id: NAME, signal: "FOO" } } });
  expect(res.status()).toBe(400);
  const error = ((await res.json()) as { error: { json: { message: string; data: { field?: string } } } }).error.json;
  expect(error.message).toBe('signal: unknown signal "FOO" (use a name such as SIGTERM or KILL, or a number 1–64)');
  expect(error.data.field).toBe("signal");
  expect(docker("inspect", "-f", "{{.State.Running}}", NAME)).toBe("true");
});
