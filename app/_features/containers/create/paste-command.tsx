"use client";
/** Paste a `docker run …` command and fill the form from it; what cannot be mapped is listed, never dropped. */
import { useState } from "react";
import { parseDockerRun, type ParseResult, type RunSpec } from "~/runtime/run-spec/index";

export function PasteCommand({ onFill }: { onFill: (spec: RunSpec) => void }) {
  const [text, setText] = useState("");
  const [result, setResult] = useState<ParseResult | null>(null);
  const fill = () => {
    const r = parseDockerRun(text);
    setResult(r);
    onFill(r.spec);
  };
  const clean = result && !result.unknownFlags.length && !result.ignoredFlags.length && !result.errors.length && !result.warnings.length;
  return (
    <section className="card" aria-labelledby="paste-title">
      <h2 id="paste-title">Paste a command</h2>
      <label className="field">
        <span>docker run command</span>
        <textarea
          rows={3}
          value={text}
          spellCheck={false}
          placeholder={"docker run -d --name web -p 127.0.0.1:8080:80 nginx"}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <div className="row">
        <button type="button" onClick={fill} disabled={!text.trim()}>
          Fill form
        </button>
      </div>
      {result && (
        <div className="paste-result" data-testid="paste-result" role="status">
          {clean && <p className="ok small">Every flag was read into the form.</p>}
          {result.subcommand === "create" && <p className="small">This is <code>docker create</code>: choose “Create only” to leave it stopped.</p>}
          {result.unknownFlags.length > 0 && (
            <p className="error small" data-testid="unknown-flags">
              Not applied (Berth cannot set these): {result.unknownFlags.map((f) => <code key={f}>{f} </code>)}
            </p>
          )}
          {result.ignoredFlags.length > 0 && (
            <p className="small" data-testid="ignored-flags">
              Left out (they only change what the docker CLI itself does): {result.ignoredFlags.map((f) => <code key={f}>{f} </code>)}
            </p>
          )}
          {result.errors.length > 0 && (
            <ul className="error small" aria-label="Errors in the command">
              {result.errors.map((e, i) => <li key={i}>{e.message}</li>)}
            </ul>
          )}
          {result.warnings.length > 0 && (
            <ul className="small" aria-label="Warnings about the command">
              {result.warnings.map((e, i) => <li key={i}>{e.message}</li>)}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
