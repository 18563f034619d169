"use client";
/**
 * The stack editor: compose.yaml in CodeMirror and the .env beside it, checked
 * by the runtime (`stacks.check`: YAML, the Compose Specification, keys Berth
 * supports, variables) 400 ms after the last keystroke. Problems are marked in
 * the editor and listed below with their line (the list is what a screen reader
 * or a test reads; a click moves the cursor there); Preview shows the file
 * interpolated with the .env, and which variables are set. Convert docker run
 * puts a pasted command's service into the file.
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import type { StackCheckResult } from "~/runtime/stacks/protocol";
import { PROJECT_NAME_PATTERN } from "~/runtime/compose/model";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useDebounced } from "~/app/_lib/use-debounced";
import { ConvertRunDialog } from "./convert-run-dialog";
import { YamlEditor, type EditorProblem, type YamlEditorHandle } from "./yaml-editor";

export interface StackDraft {
  file: string;
  dotenv: string;
}

export function StackEditor({ env, name, initial, onChange, onChecked }: {
  env: string;
  /** The stack's name (the check needs one: a draft without a valid name is checked as "draft"). */
  name: string;
  initial: StackDraft;
  onChange: (d: StackDraft) => void;
  /** The latest check of the current text (undefined while it is being checked). */
  onChecked?: (r: StackCheckResult | undefined) => void;
}) {
  const trpc = useTRPC();
  const [draft, setDraft] = useState(initial);
  const [view, setView] = useState<"file" | "preview">("file");
  const [converting, setConverting] = useState(false);
  const [caveats, setCaveats] = useState<{ service: string; list: string[] }>();
  const handle = useRef<YamlEditorHandle | null>(null);
  const checked = useDebounced(draft, 400);
  const checkName = PROJECT_NAME_PATTERN.test(name) && name.length <= 63 ? name : "draft";
  const check = useQuery({
    ...trpc.stacks.check.queryOptions({ env, name: checkName, file: checked.file, dotenv: checked.dotenv }),
    placeholderData: keepPreviousData,
    retry: false,
  });
  const current = check.data && checked === draft && !check.isPlaceholderData ? check.data : undefined;
  const reported = useRef(onChecked);
  useEffect(() => {
    reported.current = onChecked;
  });
  useEffect(() => reported.current?.(current), [current]);
  const result = check.data;
  const problems = useMemo((): EditorProblem[] => [
    ...(result?.errors ?? []).map((e) => ({ line: e.line, column: e.column, message: e.message, severity: "error" as const })),
  ], [result]);

  const update = (d: StackDraft) => {
    setDraft(d);
    onChange(d);
  };

  return (
    <div className="stack-editor">
      <div className="row spread">
        <div role="tablist" aria-label="Editor views" className="tabs">
          <button type="button" role="tab" aria-selected={view === "file"} onClick={() => setView("file")}>compose.yaml</button>
          <button type="button" role="tab" aria-selected={view === "preview"} onClick={() => setView("preview")}>Preview</button>
        </div>
        <button type="button" onClick={() => setConverting(true)}>Convert docker run</button>
      </div>
      {/* Hidden, not unmounted: CodeMirror keeps its text, cursor and history. */}
      <div className="field" hidden={view !== "file"}>
        <YamlEditor initial={initial.file} problems={problems} handle={handle} onChange={(file) => update({ ...draft, file })} />
      </div>
      {view === "preview" && (
        <section role="tabpanel" aria-label="Preview">
          {result?.interpolated !== undefined ? (
            <pre className="raw" aria-label="Interpolated compose file" data-testid="preview">{result.interpolated}</pre>
          ) : (
            <p className="muted">{result ? "The file does not load: fix the problems below to see it." : "Checking…"}</p>
          )}
        </section>
      )}
      <CheckStatus loading={check.isFetching} error={check.error ? errorMessage(check.error) : undefined} result={result} />
      {result && result.errors.length > 0 && (
        <ul aria-label="Problems" className="problems">
          {result.errors.map((e, i) => (
            <li key={`${i}:${e.message}`} className="error small">
              {/* The message names the line: clicking it puts the cursor there. */}
              <button type="button" className="link" title={e.line ? `Go to line ${e.line}` : undefined}
                onClick={() => { setView("file"); setTimeout(() => handle.current?.moveTo(e.line ?? 1, e.column), 0); }}>
                {e.line && !/^line \d+/.test(e.message) ? `line ${e.line}: ${e.message}` : e.message}
              </button>
            </li>
          ))}
        </ul>
      )}
      {result && result.warnings.length > 0 && (
        <ul aria-label="Warnings" className="small">
          {result.warnings.map((w) => <li key={w} className="warn">{w}</li>)}
        </ul>
      )}
      {caveats && (
        <div className="card small" role="status" aria-label="Converted from docker run">
          <p>Service <code>{caveats.service}</code> added under <code>services:</code>.</p>
          {caveats.list.length > 0 && (
            <ul aria-label="What compose cannot say">
              {caveats.list.map((c) => <li key={c}>{c}</li>)}
            </ul>
          )}
        </div>
      )}
      <div className="field">
        <label htmlFor="stack-dotenv">.env</label>
        <textarea
          id="stack-dotenv"
          rows={5}
          spellCheck={false}
          className="mono"
          value={draft.dotenv}
          placeholder={"TAG=1.25\nPORT=8080"}
          onChange={(e) => update({ ...draft, dotenv: e.target.value })}
        />
        <small className="muted">One NAME=value a line: ${"{NAME}"} in the file reads it, as docker-compose reads .env beside the file.</small>
      </div>
      {result && result.variables.length > 0 && (
        <table className="table" aria-label="Variables">
          <thead><tr><th>Variable</th><th>In .env</th><th>Default</th><th>Required</th></tr></thead>
          <tbody>
            {result.variables.map((v) => (
              <tr key={v.name} data-variable={v.name}>
                <td><code>{v.name}</code></td>
                <td className={v.set ? "ok" : v.required ? "error" : "muted"}>{v.set ? "set" : "not set"}</td>
                <td>{v.hasDefault ? "yes" : "no"}</td>
                <td>{v.required ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {converting && (
        <ConvertRunDialog
          env={env}
          currentFile={draft.file}
          onClose={() => setConverting(false)}
          onConverted={(text, service, list) => {
            setConverting(false);
            setView("file");
            handle.current?.setText(text);
            setCaveats({ service, list });
          }}
        />
      )}
    </div>
  );
}

function CheckStatus({ loading, error, result }: { loading: boolean; error?: string; result?: StackCheckResult }) {
  if (error) return <p role="alert" className="error small">Check: {error}</p>;
  if (!result) return <p className="muted small" role="status">Checking…</p>;
  const n = result.errors.length;
  return (
    <p role="status" aria-label="Check" className={`small ${n ? "error" : "ok"}`}>
      {n ? `${n} problem${n === 1 ? "" : "s"}` : `The file is valid: ${result.services.length} service${result.services.length === 1 ? "" : "s"}`}
      {loading ? " (checking…)" : ""}
    </p>
  );
}
