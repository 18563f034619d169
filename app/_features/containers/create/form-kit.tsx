"use client";
/**
 * The create form's building blocks. The form's state is one RunSpec held by
 * react-hook-form (use-create-form.ts), reached here through FormApi (values the user
 * is still typing may be strings where numbers belong: validation then names them).
 * Every control is a visible <label> around its input, so the label is its accessible name,
 * and shows the error validateRunSpec (or the engine) gave for its field right beside it.
 */
import { createContext, useContext, useId, useState, type ReactNode } from "react";
import type { RunSpec } from "~/runtime/run-spec/index";

export type Key = keyof RunSpec;

export interface FormApi {
  spec: RunSpec;
  set: (key: Key, value: unknown) => void;
  /** The error to show for a field path (`memory`, `ports[0].hostPort`), if any. */
  err: (field: string) => string | undefined;
  /** Errors of a list item and everything under it (`ports[1]`, `ports[1].hostPort`…). */
  errUnder: (prefix: string) => string[];
  /** Errors found by the form itself (a line that does not parse), by field. */
  setLocal: (field: string, message: string | undefined) => void;
}

export const FormContext = createContext<FormApi | null>(null);
export function useFormApi(): FormApi {
  const api = useContext(FormContext);
  if (!api) throw new Error("useFormApi outside the create form");
  return api;
}

/** "" → undefined (the flag is left out); a number stays a number; anything else is kept for validation to name. */
export function num(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

const show = (v: unknown) => (v === undefined || v === null ? "" : String(v));

export function Section({ title, children, open = false }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="card form-section" open={open} aria-label={title}>
      <summary>
        <h2>{title}</h2>
      </summary>
      <div className="form-grid">{children}</div>
    </details>
  );
}

export function ErrorText({ messages }: { messages: (string | undefined)[] }) {
  const list = messages.filter(Boolean);
  if (list.length === 0) return null;
  return (
    <small className="error field-error" role="alert">
      {list.join("; ")}
    </small>
  );
}

/** A text input bound to a spec key; `numeric` stores numbers (and keeps other text for validation). */
export function Text({ k, label, hint, numeric, placeholder, list, wide }: {
  k: Key; label: string; hint?: ReactNode; numeric?: boolean; placeholder?: string; list?: string; wide?: boolean;
}) {
  const f = useFormApi();
  const id = useId();
  const error = f.err(k);
  return (
    <div className={`field${wide ? " wide" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={show(f.spec[k])}
        placeholder={placeholder}
        list={list}
        aria-invalid={error ? true : undefined}
        onChange={(e) => f.set(k, numeric ? num(e.target.value) : e.target.value === "" ? undefined : e.target.value)}
      />
      {hint && !error && <small className="muted">{hint}</small>}
      <ErrorText messages={[error]} />
    </div>
  );
}

/** A checkbox: checked is `true`, unchecked leaves the flag out. */
export function Check({ k, label, hint }: { k: Key; label: string; hint?: string }) {
  const f = useFormApi();
  const id = useId();
  return (
    <div className="check">
      <input id={id} type="checkbox" checked={f.spec[k] === true} onChange={(e) => f.set(k, e.target.checked ? true : undefined)} />
      <label htmlFor={id}>{label}</label>
      {hint && <small className="muted">{hint}</small>}
      <ErrorText messages={[f.err(k)]} />
    </div>
  );
}

export function Select({ k, label, options, hint, toValue }: {
  k: Key; label: string; options: [string, string][]; hint?: ReactNode;
  /** The option's text as the spec's value (default: itself, "" is left out). */
  toValue?: (option: string) => unknown;
}) {
  const f = useFormApi();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={show(f.spec[k])} onChange={(e) => f.set(k, e.target.value === "" ? undefined : toValue ? toValue(e.target.value) : e.target.value)}>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
      {hint && <small className="muted">{hint}</small>}
      <ErrorText messages={[f.err(k)]} />
    </div>
  );
}

/**
 * A list edited as lines of text, one item per line, each read with `parse` (a docker
 * flag's own syntax) and shown back with `format`. Lines that do not parse are named.
 */
export function Lines<T>({ k, label, hint, parse, format, read, write, rows = 3 }: {
  k: Key; label: string; hint?: string; rows?: number;
  parse?: (line: string) => { value: T } | { error: string };
  format?: (item: T) => string;
  /** The spec's value as items (default: it is the list). */
  read?: (value: unknown) => T[];
  /** Items as the spec's value (default: the list). */
  write?: (items: T[]) => unknown;
}) {
  const f = useFormApi();
  const id = useId();
  const items0 = read ? read(f.spec[k]) : ((f.spec[k] as T[] | undefined) ?? []);
  const initial = items0.map((item) => (format ? format(item) : String(item))).join("\n");
  const [text, setText] = useState(initial);
  const [lineErrors, setLineErrors] = useState<string[]>([]);
  const change = (value: string) => {
    setText(value);
    const items: T[] = [];
    const errors: string[] = [];
    value.split("\n").forEach((line, i) => {
      const t = line.trim();
      if (!t) return;
      if (!parse) return void items.push(t as T);
      const r = parse(t);
      if ("error" in r) errors.push(`line ${i + 1}: ${r.error}`);
      else items.push(r.value);
    });
    setLineErrors(errors);
    f.setLocal(k, errors.length ? `${k}: ${errors.join("; ")}` : undefined);
    f.set(k, items.length ? (write ? write(items) : items) : undefined);
  };
  return (
    <div className="field wide">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={rows} value={text} onChange={(e) => change(e.target.value)} spellCheck={false} />
      {hint && <small className="muted">{hint}</small>}
      <ErrorText messages={[...lineErrors, ...f.errUnder(k)]} />
    </div>
  );
}

/** `key=value` lines ↔ a map (sysctls, log options). */
export function MapLines({ k, label, hint }: { k: "sysctls" | "logOpts" | "labels"; label: string; hint?: string }) {
  return (
    <Lines<[string, string]>
      k={k}
      label={label}
      hint={hint}
      parse={(line) => {
        const eq = line.indexOf("=");
        return eq <= 0 ? { error: `"${line}" must be key=value` } : { value: [line.slice(0, eq), line.slice(eq + 1)] };
      }}
      format={([key, value]) => `${key}=${value}`}
      read={(v) => Object.entries((v as Record<string, string> | undefined) ?? {})}
      write={(items) => Object.fromEntries(items)}
    />
  );
}

export interface Column<T> {
  label: string;
  get: (item: T) => string | boolean;
  set: (item: T, value: string | boolean) => T;
  /** Where validation reports this cell (`hostPort` → `ports[i].hostPort`). */
  field?: string;
  options?: [string, string][];
  placeholder?: string;
}

/**
 * Items edited as rows, each a group named "<item> N" with one labelled control per
 * column. The rows are this component's own state (so a half-typed row is kept as
 * typed) and the spec gets `toSpec` of them after every change.
 */
export function Rows<T>({ k, item, columns, blank, fromSpec, toSpec }: {
  k: Key; item: string; columns: Column<T>[]; blank: T;
  fromSpec: (value: unknown) => T[]; toSpec: (rows: T[]) => unknown;
}) {
  const f = useFormApi();
  const [rows, setRows] = useState<T[]>(() => fromSpec(f.spec[k]));
  const update = (next: T[]) => {
    setRows(next);
    f.set(k, next.length ? toSpec(next) : undefined);
  };
  return (
    <div className="rows wide">
      {rows.map((row, i) => (
        <fieldset key={i} className="row-item">
          <legend>{`${item} ${i + 1}`}</legend>
          {columns.map((c) => (
            <Cell
              key={c.label}
              column={c}
              value={c.get(row)}
              error={c.field ? f.err(`${k}[${i}].${c.field}`) : undefined}
              onChange={(value) => update(rows.map((r, j) => (j === i ? c.set(r, value) : r)))}
            />
          ))}
          <button type="button" onClick={() => update(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
          <ErrorText messages={f.errUnder(`${k}[${i}]`).filter((m) => !columns.some((c) => c.field && m.startsWith(`${k}[${i}].${c.field}:`)))} />
        </fieldset>
      ))}
      <button type="button" onClick={() => update([...rows, blank])}>
        {`Add ${item.toLowerCase()}`}
      </button>
      <ErrorText messages={[f.err(k)]} />
    </div>
  );
}

function Cell<T>({ column: c, value, error, onChange }: {
  column: Column<T>; value: string | boolean; error?: string; onChange: (value: string | boolean) => void;
}) {
  const id = useId();
  if (typeof value === "boolean")
    return (
      <div className="check">
        <input id={id} type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>{c.label}</label>
      </div>
    );
  return (
    <div className="field">
      <label htmlFor={id}>{c.label}</label>
      {c.options ? (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {c.options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} value={value} placeholder={c.placeholder} aria-invalid={error ? true : undefined} onChange={(e) => onChange(e.target.value)} />
      )}
      <ErrorText messages={[error]} />
    </div>
  );
}
