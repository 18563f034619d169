/**
 * Redaction of what an audit entry keeps of a call's input: values under
 * secret-like keys, every environment value, Dockerfile `ENV` changes, and
 * `NAME=value` with a secret-like name wherever it sits in a string.
 */
const SECRET_KEYS = /pass(word)?|passwd|pwd|secret|token|key|credential|auth(?!or)/i;
/** Keys whose values are environment entries: every value there may be a secret, whatever its name. */
const ENV_KEYS = /^(env|environment)$/i;
const REDACTED = "[redacted]";
/** A stack's `.env` text (the stacks router's `dotenv`): every line's value may be a secret. */
const DOTENV_KEYS = /^dotenv$/i;
const redactDotenv = (v: unknown): unknown =>
  typeof v === "string" ? v.split("\n").map((l) => (l.includes("=") && !l.trimStart().startsWith("#") ? `${l.slice(0, l.indexOf("="))}=${REDACTED}` : l)).join("\n") : REDACTED;
const NAME_CHAR = /[\w.-]/;
/** What stands before `NAME=value` in a `docker run` line when it is an environment entry. */
const ENV_FLAG_BEFORE = /(?:^|\s)(?:-e|--env)(?:\s+|=)["']?$/;

/**
 * `NAME=value` with a secret-like name, wherever it sits in a string (a pasted
 * `--label api.token=…`), and every `-e`/`--env` value of a `docker run` line. A scan, not one regex: a
 * regex of this shape backtracks quadratically on hostile input.
 */
function redactAssignments(s: string): string {
  let out = "";
  let last = 0;
  for (let i = s.indexOf("="); i !== -1; i = s.indexOf("=", i + 1)) {
    let j = i;
    while (j > last && NAME_CHAR.test(s[j - 1]!)) j--;
    if (j === i) continue;
    if (!SECRET_KEYS.test(s.slice(j, i)) && !ENV_FLAG_BEFORE.test(s.slice(Math.max(last, j - 16), j))) continue;
    let end = i + 1;
    const quote = s[end];
    if (quote === '"' || quote === "'") {
      const close = s.indexOf(quote, end + 1);
      end = close === -1 ? s.length : close + 1;
    } else {
      while (end < s.length && !/[\s"']/.test(s[end]!)) end++;
    }
    out += s.slice(last, i + 1) + REDACTED;
    last = end;
    i = end - 1;
  }
  return out + s.slice(last);
}

/** A Dockerfile `ENV` change (commit) keeps its name only; any other string loses its secret assignments. */
function redactString(s: string): string {
  const env = /^\s*ENV\s+/i.exec(s);
  if (!env) return redactAssignments(s);
  const name = s.slice(env[0].length).split(/[=\s]/, 1)[0];
  return `${env[0]}${name}=${REDACTED}`;
}

/** `KEY=value` entries keep their key; a bare entry (`-e NAME`, passed through from the host) has no value to hide. */
const redactEnvEntry = (v: unknown): unknown =>
  typeof v === "string" ? (v.includes("=") ? `${v.slice(0, v.indexOf("="))}=${REDACTED}` : v) : v && typeof v === "object" && !Array.isArray(v) ? redactEnv(v) : REDACTED;

function redactEnv(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactEnvEntry);
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
  return typeof value === "string" ? redactEnvEntry(value) : value;
}

/**
 * Inputs are kept for the record, but never their secrets: values under
 * secret-like keys, every environment value, Dockerfile `ENV` changes, and
 * `NAME=value` with a secret-like name wherever it sits in a string.
 */
export function redact(value: unknown): unknown {
  if (typeof value === "string") return redactString(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        ENV_KEYS.test(k) ? redactEnv(v) : DOTENV_KEYS.test(k) ? redactDotenv(v) : SECRET_KEYS.test(k) ? REDACTED : redact(v),
      ]),
    );
  }
  return value;
}
