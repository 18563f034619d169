"use client";
/** Access: which users and teams hold which role on an environment; grant one, revoke one. Administrators only. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { envRoles, roleLabels, type EnvRole } from "~/server/api/permissions";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

function GrantForm({ env }: { env: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { data: users } = useQuery(trpc.users.list.queryOptions());
  const { data: teams } = useQuery(trpc.teams.list.queryOptions());
  const [subject, setSubject] = useState("");
  const [role, setRole] = useState<EnvRole>("standard");
  const grant = useMutation(
    trpc.users.grant.mutationOptions({
      onSuccess: () => {
        setSubject("");
        void qc.invalidateQueries({ queryKey: trpc.users.grants.queryKey({ env }) });
        void qc.invalidateQueries({ queryKey: trpc.teams.list.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const [kind, id] = subject.split(":") as ["user" | "team", string];
    grant.mutate(kind === "team" ? { env, teamId: id, role } : { env, userId: id, role });
  };
  return (
    <form className="card" aria-labelledby="grant-title" onSubmit={submit}>
      <h2 id="grant-title">Grant a role on {env}</h2>
      <div className="row-item">
        <label className="field">
          <span>User or team</span>
          <select value={subject} onChange={(e) => setSubject(e.target.value)} required>
            <option value="">Choose…</option>
            <optgroup label="Users">
              {users
                ?.filter((u) => u.role !== "admin")
                .map((u) => (
                  <option key={u.id} value={`user:${u.id}`}>
                    {u.username}
                  </option>
                ))}
            </optgroup>
            <optgroup label="Teams">
              {teams?.map((t) => (
                <option key={t.id} value={`team:${t.id}`}>
                  Team {t.name}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value as EnvRole)}>
            {envRoles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!subject || grant.isPending}>
          Grant
        </button>
      </div>
      <p className="muted small">Administrators hold every role everywhere; a user acts with the strongest of their own and their teams&apos; roles.</p>
      {grant.error && (
        <p role="alert" className="error small">
          {errorMessage(grant.error)}
        </p>
      )}
    </form>
  );
}

function Grants({ env }: { env: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { data: grants, error } = useQuery(trpc.users.grants.queryOptions({ env }));
  const revoke = useMutation(trpc.users.revoke.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.users.grants.queryKey({ env }) }) }));
  if (error) return <p role="alert" className="error">{errorMessage(error)}</p>;
  if (!grants) return <p className="muted">Loading…</p>;
  return (
    <>
      <table className="table" aria-label={`Roles on ${env}`}>
        <thead>
          <tr>
            <th scope="col">User or team</th>
            <th scope="col">Role</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => (
            <tr key={g.id} data-grant={`${g.subject.type}:${g.subject.name}`}>
              <td>{g.subject.type === "team" ? `Team ${g.subject.name}` : g.subject.name}</td>
              <td>{roleLabels[g.role as EnvRole] ?? g.role}</td>
              <td>
                <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: g.id })}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
          {!grants.length && (
            <tr>
              <td colSpan={3} className="muted">
                Nobody but administrators has a role here yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {revoke.error && <p role="alert" className="error small">{errorMessage(revoke.error)}</p>}
    </>
  );
}

export function AccessPage() {
  const trpc = useTRPC();
  const { data: environments } = useQuery(trpc.environments.list.queryOptions());
  const [chosen, setChosen] = useState<string | undefined>();
  const env = chosen ?? environments?.[0]?.id;
  return (
    <section aria-labelledby="access-title">
      <div className="page-head">
        <h1 id="access-title">Access</h1>
        <label className="field">
          <span>Environment</span>
          <select value={env ?? ""} onChange={(e) => setChosen(e.target.value)}>
            {environments?.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {env && (
        <>
          <GrantForm env={env} />
          <Grants env={env} />
        </>
      )}
    </section>
  );
}
