"use client";
/**
 * Browse a registry from an environment's runtime: its repositories (the
 * catalogue), a repository's tags with digest and size, and Delete a tag
 * (confirmed; the registry deletes the manifest, so every tag on the same
 * digest goes with it).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Field } from "~/app/_components/field";
import { formatBytes } from "~/app/_lib/format";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import type { RegistryListRow } from "./registry-row";

const shortDigest = (d?: string) => (d ? `${d.slice(0, 19)}…` : "—");

function Tags({ env, registry, repository }: { env: string; registry: RegistryListRow; repository: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const input = { env, id: registry.id, repository };
  const tags = useQuery({ ...trpc.registries.tags.queryOptions(input), retry: false });
  const [confirm, setConfirm] = useState<string | null>(null);
  const remove = useMutation(
    trpc.registries.deleteTag.mutationOptions({
      onSuccess: () => {
        setConfirm(null);
        void qc.invalidateQueries({ queryKey: trpc.registries.tags.queryKey(input) });
      },
    }),
  );
  if (tags.error)
    return (
      <p role="alert" className="error">
        {errorMessage(tags.error)}
      </p>
    );
  if (!tags.data) return <p className="muted">Loading tags of {repository}…</p>;
  const ref = `${registry.url === "docker.io" ? "" : `${registry.url}/`}${repository}`;
  return (
    <div>
      <h3>Tags of {repository}</h3>
      {tags.data.truncated && <p className="muted small">Only the first {tags.data.tags.length} tags are shown.</p>}
      {tags.data.tags.length === 0 ? (
        <p className="muted">No tags.</p>
      ) : (
        <table className="table" aria-label={`Tags of ${repository}`}>
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Digest</th>
              <th scope="col">Size</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {tags.data.tags.map((t) => (
              <tr key={t.tag} data-tag={t.tag}>
                <td>{t.tag}</td>
                <td>
                  {t.error ? (
                    <span className="error small">{t.error}</span>
                  ) : (
                    <code title={t.digest} data-digest={t.digest}>
                      {shortDigest(t.digest)}
                    </code>
                  )}
                </td>
                <td>
                  {t.size !== undefined
                    ? formatBytes(t.size)
                    : t.platforms
                      ? t.platforms.map((p) => `${[p.os, p.architecture, p.variant].filter(Boolean).join("/")}${p.size !== undefined ? ` ${formatBytes(p.size)}` : ""}`).join(", ")
                      : "—"}
                </td>
                <td>
                  <button type="button" className="danger" aria-label={`Delete tag ${t.tag}`} disabled={remove.isPending} onClick={() => setConfirm(t.tag)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {confirm && (
        <div role="dialog" aria-label={`Delete tag ${repository}:${confirm}`} className="confirm-inline">
          <p>
            Delete <code>{`${ref}:${confirm}`}</code> from {registry.name}? The registry deletes the manifest by its digest, so other tags on the same digest go too. Pulls of it
            fail afterwards.
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate({ ...input, tag: confirm })}>
              {remove.isPending ? "Deleting…" : "Delete tag"}
            </button>
            <button type="button" onClick={() => (setConfirm(null), remove.reset())}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {remove.error && (
        <p role="alert" className="error small">
          {errorMessage(remove.error)}
        </p>
      )}
      {remove.data && (
        <p role="status" className="ok small">
          Deleted {remove.data.repository}:{remove.data.tag} ({shortDigest(remove.data.digest)}).
        </p>
      )}
    </div>
  );
}

export function RegistryBrowser({ env, registry, onClose }: { env: string; registry: RegistryListRow; onClose: () => void }) {
  const trpc = useTRPC();
  const catalog = useQuery({ ...trpc.registries.browse.queryOptions({ env, id: registry.id }), retry: false });
  const [filter, setFilter] = useState("");
  const [repository, setRepository] = useState<string | null>(null);
  const shown = (catalog.data?.repositories ?? []).filter((r) => r.includes(filter.trim().toLowerCase()));
  return (
    <section className="card" aria-label={`Browse ${registry.name}`}>
      <div className="row spread">
        <h2>Browse {registry.name}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {catalog.error ? (
        <p role="alert" className="error">
          {errorMessage(catalog.error)}
        </p>
      ) : !catalog.data ? (
        <p className="muted">Reading the catalogue of {registry.url}…</p>
      ) : (
        <div className="grid2">
          <div>
            <h3>Repositories</h3>
            <Field label="Filter repositories" value={filter} onChange={setFilter} type="search" />
            {catalog.data.truncated && <p className="muted small">Only the first {catalog.data.repositories.length} repositories are shown.</p>}
            {shown.length === 0 ? (
              <p className="muted">No repositories.</p>
            ) : (
              <ul aria-label="Repositories" className="rows">
                {shown.map((r) => (
                  <li key={r}>
                    <button type="button" className="button-link" aria-pressed={repository === r} onClick={() => setRepository(r)}>
                      {r}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>{repository ? <Tags env={env} registry={registry} repository={repository} /> : <p className="muted">Pick a repository to see its tags.</p>}</div>
        </div>
      )}
    </section>
  );
}
