"use client";
/** Users (administrators only): who can sign in, as what, in which teams, and when they last did. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { CreateUserForm } from "./create-user-form";
import { UserActions } from "./user-actions";

function status(u: { disabled: boolean; mustChangePassword: boolean }): string {
  if (u.disabled) return "Disabled";
  return u.mustChangePassword ? "Must change password" : "Active";
}

export function UsersPage() {
  const trpc = useTRPC();
  const { data: me } = useQuery(trpc.session.me.queryOptions());
  const { data: users, error, isLoading } = useQuery(trpc.users.list.queryOptions());
  return (
    <section aria-labelledby="users-title">
      <div className="page-head">
        <h1 id="users-title">Users</h1>
        <div className="row">
          <Link className="button" href="/teams">
            Teams
          </Link>
          <Link className="button" href="/users/access">
            Access
          </Link>
        </div>
      </div>
      <CreateUserForm />
      {error ? (
        <p role="alert" className="error">
          {errorMessage(error)}
        </p>
      ) : isLoading || !users ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="table" aria-label="Users">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Teams</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-user={u.username}>
                <td>
                  {u.username}
                  {u.id === me?.id ? <span className="muted small"> (you)</span> : null}
                </td>
                <td>{u.role === "admin" ? "Administrator" : "User"}</td>
                <td>{u.teams.length ? u.teams.map((t) => (t.leader ? `${t.name} (leader)` : t.name)).join(", ") : "—"}</td>
                <td className={u.disabled ? "error" : undefined}>{status(u)}</td>
                <td>{u.lastLoginAt ? new Date(u.lastLoginAt).toLocaleString() : "Never"}</td>
                <td>
                  <UserActions user={u} self={u.id === me?.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
