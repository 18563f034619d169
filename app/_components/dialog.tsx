"use client";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";

/**
 * A modal form named by `label` (its accessible name), with the docker CLI
 * equivalent of what it will do shown as a visible `code` line.
 */
export function ActionDialog({
  label,
  cli,
  onClose,
  onSubmit,
  submitLabel,
  busy,
  error,
  danger,
  children,
}: {
  label: string;
  cli: string;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel: string;
  busy?: boolean;
  error?: string | null;
  danger?: boolean;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    ref.current?.querySelector<HTMLElement>("input, select, textarea, button")?.focus();
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <div className="overlay">
      <form ref={ref} role="dialog" aria-modal="true" aria-label={label} className="dialog" onSubmit={submit}>
        <h2>{label}</h2>
        {children}
        <div className="cli-line">
          <span className="muted small">CLI equivalent</span>
          <code data-testid="cli">{cli}</code>
        </div>
        {error && (
          <p role="alert" className="error small">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className={danger ? "danger" : "primary"} disabled={busy}>
            {busy ? "Working…" : submitLabel}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
