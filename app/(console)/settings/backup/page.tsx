"use client";
/**
 * Settings › Backup (administrators): downloads a backup of Berth's data. A
 * native form POST, so the browser saves the archive as it streams in (never
 * held in the page's memory) and the password travels in the body, not the URL.
 */
import { useState, type FormEvent } from "react";
import { Field } from "../../../_components/field";

export default function BackupPage() {
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [history, setHistory] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function submit(e: FormEvent<HTMLFormElement>) {
    setError(null);
    if (password && password.length < 8) {
      e.preventDefault();
      return setError("Backup password: at least 8 characters (or none, for an unencrypted backup).");
    }
    if (password !== confirm) {
      e.preventDefault();
      return setError("Backup passwords do not match.");
    }
  }

  return (
    <section aria-labelledby="backup-title">
      <div className="page-head">
        <h1 id="backup-title">Backup</h1>
      </div>
      <form className="card" method="post" action="/api/backup" onSubmit={submit} aria-labelledby="backup-title" style={{ maxWidth: "40rem" }}>
        <p className="muted">
          A backup holds Berth&apos;s database (users, teams, roles, settings, the audit history), its keys and secrets, stack files, custom
          templates and console recordings. Restore it on the setup page of a new Berth, or with <code>npx tsx server/bin/restore.ts</code>.
          A backup holds secrets: keep it safe, or give it a password.
        </p>
        <Field
          label="Backup password (optional)"
          type="password"
          name="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          maxLength={1024}
          hint="Encrypts the backup (AES-256-GCM). Without this password it cannot be restored."
        />
        {password && <Field label="Confirm backup password" type="password" value={confirm} onChange={setConfirm} autoComplete="new-password" maxLength={1024} />}
        <div className="field">
          <label>
            <input type="checkbox" name="history" value="1" checked={history} onChange={(e) => setHistory(e.target.checked)} /> Include log and stats history
          </label>
          <small className="muted">Left out by default: the recorded log lines and stats can be large, and are rebuilt as Berth runs.</small>
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button className="primary" type="submit">
          Download backup
        </button>
      </form>
    </section>
  );
}
