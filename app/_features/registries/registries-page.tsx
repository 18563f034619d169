"use client";
/**
 * Registries (administrators): the list with what is saved for each (never the
 * password itself), Add / Edit / Remove, Test login (`docker login` through the
 * chosen environment's engine) and Browse (repositories → tags → Delete).
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { RegistryBrowser } from "./registry-browser";
import { RegistryForm } from "./registry-form";
import type { RegistryListRow } from "./registry-row";

function TestLogin({ env, registry }: { env: string; registry: RegistryListRow }) {
  const trpc = useTRPC();
  const test = useMutation(trpc.registries.test.mutationOptions());
  return (
    <>
      <button type="button" disabled={test.isPending || !env} aria-label={`Test login to ${registry.name}`} onClick={() => test.mutate({ env, id: registry.id })}>
        {test.isPending ? "Testing…" : "Test login"}
      </button>
      {test.data && (
        <p role="status" className="ok small">
          {test.data.message}
        </p>
      )}
      {test.error && (
        <p role="alert" className="error small">
          {errorMessage(test.error)}
        </p>
      )}
    </>
  );
}

function RemoveRegistry({ registry, onRemoved }: { registry: RegistryListRow; onRemoved: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const remove = useMutation(
    trpc.registries.remove.mutationOptions({
      onSuccess: () => {
        onRemoved();
        void qc.invalidateQueries({ queryKey: trpc.registries.list.queryKey() });
      },
    }),
  );
  if (!confirm)
    return (
      <button type="button" className="danger" aria-label={`Remove ${registry.name}`} onClick={() => setConfirm(true)}>
        Remove
      </button>
    );
  return (
    <div role="dialog" aria-label={`Remove registry ${registry.name}`} className="confirm-inline">
      <p>
        Remove <strong>{registry.name}</strong> ({registry.url})? Its saved credentials are deleted; pulls and pushes there go anonymous. Images in the registry are not touched.
      </p>
      <div className="row">
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate({ id: registry.id })}>
          Remove registry
        </button>
        <button type="button" onClick={() => setConfirm(false)}>
          Cancel
        </button>
      </div>
      {remove.error && (
        <p role="alert" className="error small">
          {errorMessage(remove.error)}
        </p>
      )}
    </div>
  );
}

export function RegistriesPage({ environments, defaultEnv }: { environments: string[]; defaultEnv?: string }) {
  const trpc = useTRPC();
  const { data, error, isLoading } = useQuery(trpc.registries.list.queryOptions());
  const [env, setEnv] = useState(defaultEnv ?? environments[0] ?? "");
  const [form, setForm] = useState<{ editing?: RegistryListRow } | null>(null);
  const [browsing, setBrowsing] = useState<string | null>(null);
  const browsed = data?.find((r) => r.id === browsing);
  return (
    <section aria-labelledby="registries-title">
      <div className="page-head">
        <h1 id="registries-title">Registries</h1>
        <div className="row">
          {environments.length > 1 && (
            <label className="field">
              <span>Test and browse from</span>
              <select value={env} onChange={(e) => setEnv(e.target.value)} aria-label="Environment">
                {environments.map((e) => (
                  <option key={e} value={e}>
                    {e}
                  </option>
                ))}
              </select>
            </label>
          )}
          {!form && (
            <button type="button" className="primary" onClick={() => setForm({})}>
              Add registry
            </button>
          )}
        </div>
      </div>
      <p className="muted small">Pulls and pushes use the credentials of the registry an image names. Passwords and tokens are encrypted at rest and never shown again.</p>
      {form && <RegistryForm key={form.editing?.id ?? "new"} editing={form.editing} onDone={() => setForm(null)} />}
      {error ? (
        <p role="alert" className="error">
          {errorMessage(error)}
        </p>
      ) : isLoading || !data ? (
        <p className="muted">Loading…</p>
      ) : data.length === 0 ? (
        <p className="muted">No registries yet. Add Docker Hub with an access token, or any registry by its URL.</p>
      ) : (
        <table className="table" aria-label="Registries">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Type</th>
              <th scope="col">Username</th>
              <th scope="col">Credentials</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {data.map((r) => (
              <tr key={r.id} data-registry={r.name}>
                <td>{r.name}</td>
                <td>
                  <code>{r.url}</code> {r.insecure && <span className="state state-paused">Insecure</span>}
                </td>
                <td>{r.kind === "dockerhub" ? "Docker Hub" : "Registry"}</td>
                <td>{r.username ?? <span className="muted">anonymous</span>}</td>
                <td>{r.hasSecret ? "credentials saved" : <span className="muted">none</span>}</td>
                <td>
                  <div className="actions row">
                    <TestLogin env={env} registry={r} />
                    <button type="button" aria-label={`Browse ${r.name}`} disabled={!env} onClick={() => setBrowsing(r.id)}>
                      Browse
                    </button>
                    <button type="button" aria-label={`Edit ${r.name}`} onClick={() => setForm({ editing: r })}>
                      Edit
                    </button>
                    <RemoveRegistry registry={r} onRemoved={() => (browsing === r.id ? setBrowsing(null) : undefined)} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {browsed && env && <RegistryBrowser key={`${env}/${browsed.id}`} env={env} registry={browsed} onClose={() => setBrowsing(null)} />}
    </section>
  );
}
