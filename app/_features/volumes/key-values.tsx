"use client";
/**
 * Labels, driver options and auxiliary addresses as people write them on the
 * command line: one `key=value` per line (`--label`, `--opt`, `--aux-address`).
 */
import { useId } from "react";

/** `key=value` lines → a map; the first line that is not one is the error. */
export function parseKeyValues(text: string, what: string): { map: Record<string, string>; error?: string } {
  const map: Record<string, string> = {};
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const eq = line.indexOf("=");
    if (eq <= 0) return { map, error: `line ${i + 1}: "${line.slice(0, 60)}" is not ${what}=value` };
    map[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { map };
}

export function KeyValuesField({ label, value, onChange, placeholder, error, hint }: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; error?: string; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={2}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
      />
      <small id={`${id}-hint`} className={error ? "error" : "muted"}>
        {error ?? hint ?? "One key=value per line"}
      </small>
    </div>
  );
}

/** The `field` a tRPC error names, if any. */
export function errorField(e: unknown): string | undefined {
  const data = (e as { data?: { field?: unknown } } | undefined)?.data;
  return typeof data?.field === "string" ? data.field : undefined;
}
