/**
 * `.env` and `env_file` text as compose reads it (python-dotenv's rules, which
 * compose 1.29 uses): `KEY=value`, `export KEY=value`, `# comments`, blank lines,
 * 'single quotes' taken literally, "double quotes" with \n \t \" \\ escapes, an
 * unquoted value trimmed and cut at ` #`. Any other line is an error naming it.
 */
export type DotenvResult = { ok: true; values: Map<string, string> } | { ok: false; line: number; message: string };

const lineRe = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

function doubleQuoted(body: string): string {
  return body.replace(/\\([\\"nrt$'])/g, (_m, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c as "n"] ?? c);
}

export function parseDotenv(text: string): DotenvResult {
  const values = new Map<string, string>();
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = i + 1;
    if (raw.includes("\0")) return { ok: false, line: lineNo, message: "contains a NUL character" };
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const m = lineRe.exec(raw);
    if (!m) return { ok: false, line: lineNo, message: `expected KEY=value, found "${trimmed.slice(0, 40)}"` };
    const [, key, rest] = m;
    let value: string;
    const q = rest[0];
    if (q === "'" || q === '"') {
      // A quoted value may span lines until its closing quote.
      let body = rest.slice(1);
      let end = findClose(body, q);
      while (end < 0 && i + 1 < lines.length) {
        body += `\n${lines[++i]}`;
        end = findClose(body, q);
      }
      if (end < 0) return { ok: false, line: lineNo, message: `the ${q === "'" ? "single" : "double"} quote is never closed` };
      const after = body.slice(end + 1).trim();
      if (after !== "" && !after.startsWith("#")) return { ok: false, line: lineNo, message: `unexpected text after the closing quote: "${after.slice(0, 40)}"` };
      value = q === "'" ? body.slice(0, end) : doubleQuoted(body.slice(0, end));
    } else {
      const hash = rest.search(/\s#/);
      value = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
    }
    values.set(key, value);
  }
  return { ok: true, values };
}

function findClose(body: string, q: string): number {
  for (let j = 0; j < body.length; j++) {
    if (q === '"' && body[j] === "\\") j++;
    else if (body[j] === q) return j;
  }
  return -1;
}
