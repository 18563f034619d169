"use client";
/** The controls of a log view; every one has an accessible name (the tests and screen readers use them). */
import type { LogsParamsInput } from "~/runtime/protocol/index";

export const TAILS = ["100", "500", "1000", "all"] as const;
export const SINCE_PRESETS = [
  ["", "from the start"],
  ["5m", "last 5 minutes"],
  ["15m", "last 15 minutes"],
  ["1h", "last hour"],
  ["6h", "last 6 hours"],
  ["24h", "last 24 hours"],
  ["7d", "last 7 days"],
  ["custom", "custom…"],
] as const;

export interface ViewOptions {
  follow: boolean;
  tail: (typeof TAILS)[number];
  since: string;
  sinceCustom: string;
  until: string;
  timestamps: boolean;
  stdout: boolean;
  stderr: boolean;
  wrap: boolean;
  q: string;
  regex: boolean;
  caseSensitive: boolean;
  invert: boolean;
}

export const defaultOptions: ViewOptions = {
  follow: true,
  tail: "500",
  since: "",
  sinceCustom: "",
  until: "",
  timestamps: true,
  stdout: true,
  stderr: true,
  wrap: false,
  q: "",
  regex: false,
  caseSensitive: false,
  invert: false,
};

const UNIT: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The preset or custom Since as an ISO time, relative presets anchored at `now`. */
export function sinceIso(o: ViewOptions, now: number): string | undefined {
  if (o.since === "custom") return o.sinceCustom ? new Date(o.sinceCustom).toISOString() : undefined;
  const m = /^(\d+)([mhd])$/.exec(o.since);
  return m ? new Date(now - Number(m[1]) * UNIT[m[2]]).toISOString() : undefined;
}

/** The query string of a download of what the view shows. */
export function downloadQuery(p: LogsParamsInput, timestamps: boolean): string {
  const q = new URLSearchParams();
  if (p.ids) q.set("ids", p.ids.join(","));
  if (p.project) q.set("project", p.project);
  q.set("tail", String(p.tail ?? "all"));
  if (p.since) q.set("since", p.since);
  if (p.until) q.set("until", p.until);
  if (p.stdout === false) q.set("stdout", "0");
  if (p.stderr === false) q.set("stderr", "0");
  if (timestamps) q.set("timestamps", "1");
  if (p.search?.q) {
    q.set("q", p.search.q);
    if (p.search.regex) q.set("regex", "1");
    if (p.search.caseSensitive) q.set("case", "1");
    if (p.search.invert) q.set("invert", "1");
  }
  return q.toString();
}

interface Props {
  o: ViewOptions;
  set: (patch: Partial<ViewOptions>) => void;
  matches: number;
  searching: boolean;
  onPrev(): void;
  onNext(): void;
  downloadHref?: string;
  children?: React.ReactNode;
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <label className="log-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

export function LogToolbar({ o, set, matches, searching, onPrev, onNext, downloadHref, children }: Props) {
  return (
    <div className="log-toolbar" role="toolbar" aria-label="Log controls">
      <div className="log-tools-row">
        <Check label="Follow" checked={o.follow} onChange={(v) => set({ follow: v })} />
        <label className="log-check">
          Tail{" "}
          <select aria-label="Tail" value={o.tail} onChange={(e) => set({ tail: e.target.value as ViewOptions["tail"] })}>
            {TAILS.map((t) => (
              <option key={t} value={t}>
                {t === "all" ? "all" : Number(t).toLocaleString()}
              </option>
            ))}
          </select>
        </label>
        <label className="log-check">
          Since{" "}
          <select aria-label="Since" value={o.since} onChange={(e) => set({ since: e.target.value })}>
            {SINCE_PRESETS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        {o.since === "custom" && <input type="datetime-local" step="1" aria-label="Since time" value={o.sinceCustom} onChange={(e) => set({ sinceCustom: e.target.value })} />}
        <label className="log-check">
          Until <input type="datetime-local" step="1" aria-label="Until" value={o.until} onChange={(e) => set({ until: e.target.value })} />
        </label>
        <Check label="Timestamps" checked={o.timestamps} onChange={(v) => set({ timestamps: v })} />
        <Check label="stdout" checked={o.stdout} onChange={(v) => set({ stdout: v })} />
        <Check label="stderr" checked={o.stderr} onChange={(v) => set({ stderr: v })} />
        <Check label="Wrap" checked={o.wrap} onChange={(v) => set({ wrap: v })} />
        {downloadHref && (
          <a className="button-link" href={downloadHref} download>
            Download
          </a>
        )}
        {children}
      </div>
      <div className="log-tools-row">
        <input type="search" aria-label="Search" placeholder="Search (on the server)" value={o.q} onChange={(e) => set({ q: e.target.value })} className="log-search" />
        <Check label="Regex" checked={o.regex} onChange={(v) => set({ regex: v })} />
        <Check label="Case sensitive" checked={o.caseSensitive} onChange={(v) => set({ caseSensitive: v })} />
        <Check label="Invert" checked={o.invert} onChange={(v) => set({ invert: v })} />
        {searching && (
          <>
            <span role="status" aria-label="Match count" className="muted">
              {matches.toLocaleString()} {matches === 1 ? "match" : "matches"}
            </span>
            <button type="button" onClick={onPrev} aria-label="Previous match">
              ↑
            </button>
            <button type="button" onClick={onNext} aria-label="Next match">
              ↓
            </button>
          </>
        )}
      </div>
    </div>
  );
}
