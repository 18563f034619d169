"use client";
/** Teams: administrators see and manage all of them; a team leader sees the teams they lead and manages their members. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "~/app/_components/field";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { TeamCard } from "./team-card";

function CreateTeam() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.teams.create.mutationOptions({
      onSuccess: () => {
        setName("");
        void qc.invalidateQueries({ queryKey: trpc.teams.list.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name });
  };
  return (
    <form className="card" aria-labelledby="create-team-title" onSubmit={submit}>
      <h2 id="create-team-title">Create team</h2>
      <div className="row-item">
        <Field label="Team name" value={name} onChange={setName} maxLength={64} required />
        <button type="submit" className="primary" disabled={create.isPending}>
          Create team
        </button>
      </div>
      {create.error && (
        <p role="alert" className="error small">
          {errorMessage(create.error)}
        </p>
      )}
    </form>
  );
}

export function TeamsPage() {
  const trpc = useTRPC();
  const { data: me } = useQuery(trpc.session.me.queryOptions());
  const { data: teams, error, isLoading } = useQuery(trpc.teams.list.queryOptions());
  const admin = me?.role === "admin";
  return (
    <section aria-labelledby="teams-title">
      <div className="page-head">
        <h1 id="teams-title">Teams</h1>
      </div>
      {admin && <CreateTeam />}
      {error ? (
        <p role="alert" className="error">
          {errorMessage(error)}
        </p>
      ) : isLoading || !teams ? (
        <p className="muted">Loading…</p>
      ) : teams.length === 0 ? (
        <p className="muted">{admin ? "No teams yet." : "You lead no team."}</p>
      ) : (
        teams.map((t) => <TeamCard key={t.id} team={t} admin={admin} />)
      )}
    </section>
  );
}
