"use client";
/**
 * The user's API tokens (for the REST API, /api/v1): create one (its value is
 * shown once, here, and never again: only its hash is kept), see when each was
 * last used, revoke.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { CopyButton } from "../../_components/copy-button";
import { errorMessage, useTRPC } from "../../_lib/trpc";

const when = (d: Date | string | null) => (d ? new Date(d).toLocaleString() : "—");
const EXPIRY_OPTIONS = [
  { value: "never", label: "Never" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In 365 days" },
  { value: "date", label: "On a date…" },
];

function NewToken({ name, token, onDone }: { name: string; token: string; onDone: () => void }) {
  return (
    <div className="card" role="region" aria-label="New API token">
      <p>
        <strong className="ok">Token “{name}” created.</strong> Copy it now: it is not stored and will not be shown again.
      </p>
      <p className="row">
        <input aria-label="New API token value" readOnly value={token} size={56} onFocus={(e) => e.currentTarget.select()} style={{ fontFamily: "monospace" }} />
        <CopyButton text={token} label="Copy token" />
      </p>
      <p className="small muted">
        Use it as <code>Authorization: Bearer …</code> or <code>X-API-Key: …</code>; the API is described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
      </p>
      <button type="button" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

export function ApiTokensPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.apiTokens.list.queryOptions());
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.apiTokens.list.queryKey() });
  const create = useMutation(trpc.apiTokens.create.mutationOptions({ onSettled: refresh }));
  const revoke = useMutation(trpc.apiTokens.revoke.mutationOptions({ onSettled: refresh }));
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("90");
  const [date, setDate] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    create
      .mutateAsync({ name, expires: expiry === "date" ? date : expiry })
      .then((t) => {
        setCreated({ name: t.name, token: t.token });
        setName("");
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  };
  const tokens = list.data ?? [];

  return (
    <div className="account-tokens">
      {created && <NewToken {...created} onDone={() => setCreated(null)} />}
      <form onSubmit={submit} className="form-grid" aria-label="Create API token">
        <label className="field">
          <span>Token name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={64} required placeholder="e.g. CI deploy" />
        </label>
        <label className="field">
          <span>Expires</span>
          <select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        {expiry === "date" && (
          <label className="field">
            <span>Expiry date</span>
            <input type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
          </label>
        )}
        <p>
          <button type="submit" disabled={create.isPending}>
            Create token
          </button>
        </p>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {list.error ? (
        <p role="alert" className="error">
          {errorMessage(list.error)}
        </p>
      ) : list.isLoading ? (
        <p className="muted">Loading…</p>
      ) : tokens.length === 0 ? (
        <p className="muted">No API tokens.</p>
      ) : (
        <table className="table" aria-label="API tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-token={t.name}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{when(t.createdAt)}</td>
                <td className={t.expired ? "error" : undefined}>{t.expiresAt ? `${t.expired ? "Expired " : ""}${when(t.expiresAt)}` : "Never"}</td>
                <td>{t.lastUsedAt ? when(t.lastUsedAt) : "Never used"}</td>
                <td>
                  <button
                    type="button"
                    disabled={revoke.isPending}
                    onClick={() => {
                      setError(null);
                      revoke.mutateAsync({ id: t.id }).catch((err: unknown) => setError(errorMessage(err)));
                    }}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
