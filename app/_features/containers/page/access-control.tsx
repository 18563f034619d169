"use client";
/**
 * "Access control" on a container's page: who may see and manage it
 * (Administrators only, Private, Restricted to chosen users and teams, Public),
 * as Portainer's ownership works. Changing it needs `resource.access.manage`.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";

const LEVELS = [
  { value: "admins", label: "Administrators only" },
  { value: "private", label: "Private (the owner)" },
  { value: "restricted", label: "Restricted (chosen users and teams)" },
  { value: "public", label: "Public (everyone with a role here)" },
] as const;
type Level = (typeof LEVELS)[number]["value"];

export function AccessControl({ id }: { id: string }) {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const qc = useQueryClient();
  const current = useQuery(trpc.access.get.queryOptions({ env, type: "container", id }));
  const manage = can("resource.access.manage");
  const principals = useQuery({ ...trpc.access.principals.queryOptions({ env }), enabled: manage });
  const [level, setLevel] = useState<Level>("admins");
  const [users, setUsers] = useState<string[]>([]);
  const [teams, setTeams] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!current.data) return;
    setLevel(current.data.access);
    setUsers(current.data.users.map((u) => u.id));
    setTeams(current.data.teams.map((t) => t.id));
  }, [current.data]);
  const save = useMutation(
    trpc.access.set.mutationOptions({
      onSuccess: () => {
        setNotice("Access saved");
        void qc.invalidateQueries({ queryKey: trpc.access.get.queryKey() });
      },
    }),
  );
  const toggle = (list: string[], set: (v: string[]) => void, value: string) => set(list.includes(value) ? list.filter((x) => x !== value) : [...list, value]);
  const d = current.data;

  return (
    <section className="card" aria-label="Access control">
      <h2>Access control</h2>
      {d && (
        <p className="small" data-testid="access-summary">
          {LEVELS.find((l) => l.value === d.access)?.label}
          {d.owner ? ` · owner ${d.owner.username}` : ""}
          {d.access === "restricted" && ` · ${[...d.users.map((u) => u.username), ...d.teams.map((t) => `team ${t.name}`)].join(", ")}`}
        </p>
      )}
      {manage && d && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setNotice(null);
            save.mutate({ env, type: "container", id, access: level, userIds: level === "restricted" ? users : [], teamIds: level === "restricted" ? teams : [] });
          }}
        >
          <label>
            Access{" "}
            <select aria-label="Access" value={level} onChange={(e) => setLevel(e.target.value as Level)}>
              {LEVELS.map((l) => (
                <option key={l.value} value={l.value}>
                  {l.label}
                </option>
              ))}
            </select>
          </label>
          {level === "restricted" && principals.data && (
            <fieldset>
              <legend>Users and teams</legend>
              {principals.data.teams.map((t) => (
                <label key={t.id}>
                  <input type="checkbox" checked={teams.includes(t.id)} onChange={() => toggle(teams, setTeams, t.id)} /> Team {t.name}
                </label>
              ))}
              {principals.data.users.map((u) => (
                <label key={u.id}>
                  <input type="checkbox" checked={users.includes(u.id)} onChange={() => toggle(users, setUsers, u.id)} /> {u.username}
                </label>
              ))}
            </fieldset>
          )}
          <button type="submit" disabled={save.isPending}>
            Save access
          </button>
          {notice && <span role="status" className="ok small"> {notice}</span>}
          {save.error && (
            <p role="alert" className="error small">
              {errorMessage(save.error)}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
