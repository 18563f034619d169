"use client";
/** One team: its members (leaders marked), Add member and Remove for administrators and its leaders; Leader, Rename and Delete for administrators. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

interface Team {
  id: string;
  name: string;
  members: { userId: string; username: string; leader: boolean; disabled: boolean }[];
  grants: { environmentId: string; role: string }[];
}

export function TeamCard({ team, admin }: { team: Team; admin: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const listId = useId();
  const [username, setUsername] = useState("");
  const [name, setName] = useState(team.name);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // The Leader box shows a change at once; the refreshed list (or a refusal) settles it.
  const [leaderShown, setLeaderShown] = useState<Record<string, boolean>>({});
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.teams.list.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.teams.candidates.queryKey({ teamId: team.id }) });
    void qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  };
  const { data: candidates } = useQuery(trpc.teams.candidates.queryOptions({ teamId: team.id }));
  const add = useMutation(trpc.teams.addMember.mutationOptions({ onSuccess: () => (setUsername(""), refresh()) }));
  const remove = useMutation(trpc.teams.removeMember.mutationOptions({ onSuccess: refresh }));
  const leader = useMutation(
    trpc.teams.setLeader.mutationOptions({
      onSettled: async () => {
        await qc.invalidateQueries({ queryKey: trpc.teams.list.queryKey() });
        setLeaderShown({});
        refresh();
      },
    }),
  );
  const rename = useMutation(trpc.teams.rename.mutationOptions({ onSuccess: refresh }));
  const del = useMutation(trpc.teams.delete.mutationOptions({ onSuccess: refresh }));
  const error = [add, remove, leader, rename, del].find((m) => m.error)?.error;
  const submitAdd = (e: FormEvent) => {
    e.preventDefault();
    add.mutate({ teamId: team.id, username: username.trim() });
  };
  return (
    <section className="card" aria-label={`Team ${team.name}`} data-team={team.name}>
      <div className="row spread">
        <h2>{team.name}</h2>
        {admin && (
          <div className="row">
            <input aria-label="Team name" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} />
            <button type="button" disabled={!name.trim() || name === team.name || rename.isPending} onClick={() => rename.mutate({ teamId: team.id, name })}>
              Rename
            </button>
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete team
            </button>
          </div>
        )}
      </div>
      {confirmDelete && (
        <div role="dialog" aria-label={`Delete team ${team.name}`} className="confirm-inline">
          <p>Delete the team {team.name}? Its members lose the roles granted to the team.</p>
          <div className="row">
            <button type="button" className="danger" disabled={del.isPending} onClick={() => del.mutate({ teamId: team.id })}>
              Delete
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <p className="muted small">
        Roles: {team.grants.length ? team.grants.map((g) => `${g.role} on ${g.environmentId}`).join(", ") : "none (grant them under Users → Access)"}
      </p>
      <table className="table" aria-label={`Members of ${team.name}`}>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">Leader</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {team.members.map((m) => (
            <tr key={m.userId} data-member={m.username}>
              <td>
                {m.username}
                {m.disabled ? <span className="muted small"> (disabled)</span> : null}
              </td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Leader: ${m.username}`}
                  checked={leaderShown[m.userId] ?? m.leader}
                  disabled={!admin || leader.isPending}
                  onChange={(e) => {
                    setLeaderShown({ [m.userId]: e.target.checked });
                    leader.mutate({ teamId: team.id, userId: m.userId, leader: e.target.checked });
                  }}
                />
              </td>
              <td>
                <button type="button" disabled={remove.isPending} onClick={() => remove.mutate({ teamId: team.id, userId: m.userId })}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
          {!team.members.length && (
            <tr>
              <td colSpan={3} className="muted">
                No members yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form className="row" onSubmit={submitAdd}>
        <input aria-label="Username to add" placeholder="Username" list={listId} value={username} maxLength={64} onChange={(e) => setUsername(e.target.value)} />
        <datalist id={listId}>{candidates?.map((c) => <option key={c} value={c} />)}</datalist>
        <button type="submit" disabled={!username.trim() || add.isPending}>
          Add member
        </button>
      </form>
      {error && (
        <p role="alert" className="error small">
          {errorMessage(error)}
        </p>
      )}
    </section>
  );
}
