"use client";
/**
 * Who may see and manage the container being created ("Access control"):
 * absent, the server's default (Private for a Standard user, Administrators
 * only for administrators).
 */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";

export interface AccessChoiceValue {
  access: "default" | "admins" | "private" | "restricted" | "public";
  teamIds: string[];
}

export function AccessChoice({ env, value, onChange }: { env: string; value: AccessChoiceValue; onChange: (v: AccessChoiceValue) => void }) {
  const trpc = useTRPC();
  const can = useCan();
  const principals = useQuery({ ...trpc.access.principals.queryOptions({ env }), enabled: can("resource.access.manage") });
  return (
    <div className="access-choice">
      <label>
        Access control{" "}
        <select aria-label="Access control" value={value.access} onChange={(e) => onChange({ ...value, access: e.target.value as AccessChoiceValue["access"] })}>
          <option value="default">Default</option>
          <option value="admins">Administrators only</option>
          <option value="private">Private (me)</option>
          <option value="restricted">Restricted (teams)</option>
          <option value="public">Public</option>
        </select>
      </label>
      {value.access === "restricted" &&
        principals.data?.teams.map((t) => (
          <label key={t.id} className="check">
            <input
              type="checkbox"
              checked={value.teamIds.includes(t.id)}
              onChange={() => onChange({ ...value, teamIds: value.teamIds.includes(t.id) ? value.teamIds.filter((x) => x !== t.id) : [...value.teamIds, t.id] })}
            />
            <span>Team {t.name}</span>
          </label>
        ))}
    </div>
  );
}

/** The create call's `access`, or nothing for the default. */
export function accessOf(v: AccessChoiceValue) {
  return v.access === "default" ? {} : { access: { access: v.access, teamIds: v.access === "restricted" ? v.teamIds : [], userIds: [] } };
}
