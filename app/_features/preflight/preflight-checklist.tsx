"use client";
/**
 * The preflight as a checklist: one row per check (pass / warn / fail), what was
 * found, and the fix for a failure. Shared by the stack editor and the template
 * deploy form. STUB: the templates UI work fills it in (keep these props).
 */
import type { PreflightResult } from "~/runtime/stacks/protocol";

export function PreflightChecklist({ result }: { result: PreflightResult }) {
  return (
    <ul aria-label="Preflight checks">
      {result.checks.map((c) => (
        <li key={c.id}>
          {c.status}: {c.title}: {c.message}
          {c.fix ? ` (fix: ${c.fix})` : ""}
        </li>
      ))}
    </ul>
  );
}
