"use client";
/** Create user: username, password (the password policy is checked on the server, its error names the field), Administrator or not. */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "~/app/_components/field";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

export function CreateUserForm() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [admin, setAdmin] = useState(false);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: () => {
        setUsername("");
        setPassword("");
        setAdmin(false);
        void qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      },
    }),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ username, password, role: admin ? "admin" : "user" });
  };
  return (
    <form className="card" aria-labelledby="create-user-title" onSubmit={submit}>
      <h2 id="create-user-title">Create user</h2>
      <div className="row-item">
        <Field label="Username" value={username} onChange={setUsername} autoComplete="off" maxLength={64} required />
        <Field label="Password" type="password" value={password} onChange={setPassword} autoComplete="new-password" hint="At least 12 characters, not the username, not a common password." required />
        <label className="check">
          <input type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} />
          Administrator
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create user"}
        </button>
      </div>
      {create.error && (
        <p role="alert" className="error small">
          {errorMessage(create.error)}
        </p>
      )}
      {create.data && (
        <p role="status" className="ok small">
          User {create.data.username} created. Give them a role on an environment under Access.
        </p>
      )}
    </form>
  );
}
