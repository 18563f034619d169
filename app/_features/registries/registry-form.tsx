"use client";
/**
 * Add or edit a registry: Docker Hub (username + access token) or any registry
 * URL (host[:port], Insecure for plain HTTP). A saved password never comes back:
 * the edit form shows the field empty and says one is saved; empty keeps it.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "~/app/_components/field";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import type { RegistryListRow } from "./registry-row";

export function RegistryForm({ editing, onDone }: { editing?: RegistryListRow; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [kind, setKind] = useState<"dockerhub" | "custom">(editing?.kind ?? "custom");
  const [name, setName] = useState(editing?.name ?? "");
  const [url, setUrl] = useState(editing && editing.kind === "custom" ? editing.url : "");
  const [username, setUsername] = useState(editing?.username ?? "");
  const [password, setPassword] = useState("");
  const [insecure, setInsecure] = useState(editing?.insecure ?? false);
  const [forget, setForget] = useState(false);
  const done = {
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: trpc.registries.list.queryKey() });
      onDone();
    },
  };
  const create = useMutation(trpc.registries.create.mutationOptions(done));
  const update = useMutation(trpc.registries.update.mutationOptions(done));
  const m = editing ? update : create;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields = { name, kind, url: kind === "custom" ? url : undefined, username, ...(password ? { password } : {}), insecure: kind === "custom" && insecure };
    if (editing) update.mutate({ id: editing.id, ...fields, clearPassword: forget });
    else create.mutate(fields);
  };
  const title = editing ? `Edit registry ${editing.name}` : "Add registry";
  const saved = editing?.hasSecret && !forget;
  return (
    <form className="card" aria-label={title} onSubmit={submit} autoComplete="off">
      <h2>{title}</h2>
      <div className="form-grid">
        <div className="field">
          <label htmlFor="registry-kind">Registry type</label>
          <select id="registry-kind" value={kind} onChange={(e) => setKind(e.target.value === "dockerhub" ? "dockerhub" : "custom")}>
            <option value="custom">Any registry (URL)</option>
            <option value="dockerhub">Docker Hub</option>
          </select>
        </div>
        <Field label="Name" value={name} onChange={setName} maxLength={64} required hint="A name people recognise, e.g. Our registry." />
        {kind === "custom" && (
          <Field label="Registry URL" value={url} onChange={setUrl} maxLength={300} required placeholder="registry.example.com:5000" hint="host[:port], as image references name it (no path)." />
        )}
        <Field label="Username" value={username} onChange={setUsername} maxLength={256} autoComplete="off" hint={kind === "dockerhub" ? "Your Docker ID." : "Leave empty for anonymous access."} />
        <Field
          label="Password / access token"
          type="password"
          value={password}
          onChange={setPassword}
          maxLength={8192}
          autoComplete="new-password"
          placeholder={saved ? "saved" : undefined}
          hint={saved ? "A password is saved (never shown): leave empty to keep it, or type a new one." : kind === "dockerhub" ? "A Docker Hub access token (Account settings → Personal access tokens)." : undefined}
        />
        {editing?.hasSecret && (
          <label className="check">
            <input type="checkbox" checked={forget} onChange={(e) => setForget(e.target.checked)} />
            Forget the saved password
          </label>
        )}
        {kind === "custom" && (
          <label className="check">
            <input type="checkbox" checked={insecure} onChange={(e) => setInsecure(e.target.checked)} />
            Insecure (HTTP)
          </label>
        )}
      </div>
      <div className="row">
        <button type="submit" className="primary" disabled={m.isPending}>
          {m.isPending ? "Saving…" : "Save registry"}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {m.error && (
        <p role="alert" className="error small">
          {errorMessage(m.error)}
        </p>
      )}
    </form>
  );
}
