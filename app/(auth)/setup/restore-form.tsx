"use client";
/**
 * First run, the other way in: restore a backup instead of creating the
 * administrator. The file is sent as the request body (streamed by the browser,
 * never read into the page), to POST /api/setup/restore (server/http/backup.ts).
 */
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Field } from "../../_components/field";

interface Answer {
  ok?: boolean;
  createdAt?: string;
  users?: number;
  notes?: string[];
  error?: { field?: string; message: string };
}

export function RestoreForm({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const [setupToken, setSetupToken] = useState("");
  const [password, setPassword] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!file) return setError("Backup file: choose the backup to restore.");
    setBusy(true);
    try {
      const res = await fetch("/api/setup/restore", {
        method: "POST",
        headers: {
          "Content-Type": "application/octet-stream",
          "X-Berth-Setup-Token": setupToken.trim(),
          ...(password ? { "X-Berth-Backup-Password": encodeURIComponent(password) } : {}),
        },
        body: file,
      });
      const answer = (await res.json().catch(() => ({ error: { message: `The restore failed (HTTP ${res.status}).` } }))) as Answer;
      if (!res.ok || !answer.ok) return setError(answer.error?.message ?? `The restore failed (HTTP ${res.status}).`);
      setDone(
        [`Restored the backup of ${new Date(answer.createdAt!).toLocaleString()} (${answer.users} user${answer.users === 1 ? "" : "s"}). Sign in with its accounts.`, ...(answer.notes ?? [])].join(" "),
      );
      setTimeout(() => router.replace("/login"), 1500);
    } catch (err) {
      setError(`The upload failed: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card auth-card" onSubmit={submit} aria-labelledby="restore-title">
      <h1 id="restore-title">Restore from backup</h1>
      <p className="muted">
        Restores users, teams, roles, settings, the audit history and keys from a Berth backup. Only possible before an administrator
        exists. The <strong>setup token</strong> was printed by the start command.
      </p>
      <Field label="Setup token" value={setupToken} onChange={setSetupToken} autoComplete="off" maxLength={256} required />
      <div className="field">
        <label htmlFor="restore-file">Backup file</label>
        <input id="restore-file" type="file" accept=".gz,.tgz,.berth-backup,application/gzip,application/octet-stream" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
        <small className="muted">A .tar.gz or .berth-backup file, at most 2 GB.</small>
      </div>
      <Field label="Backup password" type="password" value={password} onChange={setPassword} autoComplete="off" maxLength={1024} hint="Only for an encrypted backup." />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {done && <p role="status">{done}</p>}
      <button className="primary" type="submit" disabled={busy || !!done}>
        {busy ? "Restoring…" : "Restore"}
      </button>
      <button type="button" onClick={onCancel} disabled={busy}>
        Create an administrator instead
      </button>
    </form>
  );
}
