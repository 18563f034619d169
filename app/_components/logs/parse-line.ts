/**
 * What a log line says about itself, computed in the browser only for the rows
 * on screen (cheap): a level guessed from JSON/logfmt fields or common prefixes,
 * and the fields of a JSON or logfmt line.
 */
export type Level = "error" | "warn" | "info" | "debug";

export interface LineInfo {
  level?: Level;
  format?: "json" | "logfmt";
  fields?: [string, string][];
  /** The message field, when the line has one. */
  message?: string;
}

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*[A-Za-z]/g;
const LEVEL_WORDS: Record<string, Level> = {
  error: "error", err: "error", fatal: "error", panic: "error", crit: "error", critical: "error", emerg: "error", alert: "error", severe: "error", e: "error", f: "error",
  warn: "warn", warning: "warn", w: "warn",
  info: "info", notice: "info", information: "info", i: "info",
  debug: "debug", trace: "debug", verbose: "debug", d: "debug", t: "debug",
};
const PREFIX_RE = /^(?:\S+\s+){0,3}?[[(<]?(ERROR|ERR|FATAL|PANIC|CRIT(?:ICAL)?|WARN(?:ING)?|INFO|NOTICE|DEBUG|TRACE)[\])>:]?(?=\s|$)/i;
const KLOG_RE = /^([EWID])\d{4} \d\d:\d\d:\d\d/;
const LOGFMT_RE = /([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|\S*)/g;

export function stripAnsi(text: string): string {
  return text.includes("\x1b") ? text.replace(ANSI_RE, "") : text;
}

function levelOf(value: unknown): Level | undefined {
  if (typeof value === "number") {
    // pino / bunyan numbers
    return value >= 50 ? "error" : value >= 40 ? "warn" : value >= 30 ? "info" : "debug";
  }
  return typeof value === "string" ? LEVEL_WORDS[value.toLowerCase()] : undefined;
}

export function parseLine(raw: string): LineInfo {
  const text = stripAnsi(raw).trim();
  if (text.startsWith("{") && text.endsWith("}")) {
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      if (obj && typeof obj === "object" && !Array.isArray(obj)) {
        const fields = Object.entries(obj).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)] as [string, string]);
        const level = levelOf(obj.level ?? obj.lvl ?? obj.severity ?? obj.log_level ?? obj.loglevel);
        const message = [obj.msg, obj.message, obj.error].find((v) => typeof v === "string") as string | undefined;
        return { format: "json", fields, ...(level ? { level } : {}), ...(message ? { message } : {}) };
      }
    } catch {
      // not JSON after all
    }
  }
  if (text.includes("=")) {
    const fields: [string, string][] = [];
    let covered = 0;
    for (const m of text.matchAll(LOGFMT_RE)) {
      const v = m[2].startsWith('"') ? m[2].slice(1, -1).replace(/\\(.)/g, "$1") : m[2];
      fields.push([m[1], v]);
      covered += m[0].length;
    }
    // Mostly key=value pairs: logfmt (a stray "a=b" in prose is not).
    if (fields.length >= 2 && covered >= text.replace(/\s/g, "").length * 0.6) {
      const get = (k: string) => fields.find(([f]) => f === k)?.[1];
      const level = levelOf(get("level") ?? get("lvl") ?? get("severity"));
      const message = get("msg") ?? get("message");
      return { format: "logfmt", fields, ...(level ? { level } : {}), ...(message ? { message } : {}) };
    }
  }
  const klog = KLOG_RE.exec(text);
  if (klog) return { level: LEVEL_WORDS[klog[1].toLowerCase()] };
  const m = PREFIX_RE.exec(text.slice(0, 120));
  if (m) return { level: LEVEL_WORDS[m[1].toLowerCase()] };
  return {};
}
