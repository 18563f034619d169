"use client";
/**
 * The preflight as a checklist: one row per check (pass / warn / fail), what was
 * found, and the fix for a failure (a command shown as code with a Copy button).
 * Shared by the stack editor and the template deploy form.
 */
import type { PreflightCheck, PreflightResult } from "~/runtime/stacks/protocol";
import { CopyButton } from "~/app/_components/copy-button";
import { fixParts } from "./fix-parts";

const WORD: Record<PreflightCheck["status"], string> = { pass: "Passed", warn: "Warning", fail: "Failed" };
const MARK: Record<PreflightCheck["status"], string> = { pass: "✓", warn: "!", fail: "✗" };

export function PreflightChecklist({ result }: { result: PreflightResult }) {
  const failed = result.checks.filter((c) => c.status === "fail").length;
  const warned = result.checks.filter((c) => c.status === "warn").length;
  return (
    <section className="preflight" aria-label="Preflight">
      <p role="status" className={failed ? "error" : "ok"}>
        {failed
          ? `Preflight: ${failed} check${failed === 1 ? "" : "s"} failed`
          : `Preflight passed${warned ? ` with ${warned} warning${warned === 1 ? "" : "s"}` : ""}`}
      </p>
      <ul aria-label="Preflight checks" className="preflight-checks">
        {result.checks.map((c) => (
          <li key={c.id} data-check={c.id} data-status={c.status} className={`preflight-${c.status}`} aria-label={`${WORD[c.status]}: ${c.title}`}>
            <span aria-hidden="true" className="preflight-mark">{MARK[c.status]}</span>{" "}
            <strong>{c.title}</strong> <span className="badge">{WORD[c.status]}</span>
            <div className="small">{c.message}</div>
            {c.fix && (
              <div className="preflight-fix" aria-label={`Fix for ${c.title}`}>
                <span className="small muted">Fix: </span>
                {fixParts(c.fix).map((part, i) =>
                  part.code ? (
                    <span key={i}>
                      <code>{part.text}</code> <CopyButton text={part.text} name={`Copy ${part.text}`} />
                    </span>
                  ) : (
                    <span key={i}>{part.text}</span>
                  ),
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
