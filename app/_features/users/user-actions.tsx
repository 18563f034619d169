"use client";
/** One user's actions: Administrator on/off, Disable/Enable, Reset password, Delete (each confirmed inline, refusals shown with their reason). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "~/app/_components/field";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

interface Row {
  id: string;
  username: string;
  role: "admin" | "user";
  disabled: boolean;
}

export function UserActions({ user, self }: { user: Row; self: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState<"reset" | "delete" | null>(null);
  const [password, setPassword] = useState("");
  const done = { onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.users.list.queryKey() }) };
  const setRole = useMutation(trpc.users.setRole.mutationOptions(done));
  const setDisabled = useMutation(trpc.users.setDisabled.mutationOptions(done));
  const reset = useMutation(trpc.users.resetPassword.mutationOptions({ ...done, onSuccess: () => (setOpen(null), setPassword(""), done.onSuccess()) }));
  const remove = useMutation(trpc.users.delete.mutationOptions({ ...done, onSuccess: () => (setOpen(null), done.onSuccess()) }));
  const error = [setRole, setDisabled, reset, remove].find((m) => m.error)?.error;
  const busy = [setRole, setDisabled, reset, remove].some((m) => m.isPending);
  const submitReset = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate({ id: user.id, password });
  };
  return (
    <div className="actions">
      <div className="row">
        <button type="button" disabled={busy} onClick={() => setRole.mutate({ id: user.id, role: user.role === "admin" ? "user" : "admin" })}>
          {user.role === "admin" ? "Remove administrator" : "Make administrator"}
        </button>
        <button type="button" disabled={busy} onClick={() => setDisabled.mutate({ id: user.id, disabled: !user.disabled })}>
          {user.disabled ? "Enable" : "Disable"}
        </button>
        <button type="button" disabled={busy || self} title={self ? "Change your own password from your account" : undefined} onClick={() => setOpen("reset")}>
          Reset password
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => setOpen("delete")}>
          Delete
        </button>
      </div>
      {open === "reset" && (
        <form role="dialog" aria-label={`Reset the password of ${user.username}`} className="confirm-inline" onSubmit={submitReset}>
          <Field label="New password" type="password" value={password} onChange={setPassword} autoComplete="new-password" hint="They must change it when they next sign in; their sessions end now." />
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              Set password
            </button>
            <button type="button" onClick={() => setOpen(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {open === "delete" && (
        <div role="dialog" aria-label={`Delete user ${user.username}`} className="confirm-inline">
          <p>
            Delete <strong>{user.username}</strong>? Their sessions, API tokens, team memberships and role grants go with them; the audit history keeps their name.
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={busy} onClick={() => remove.mutate({ id: user.id })}>
              Delete user
            </button>
            <button type="button" onClick={() => setOpen(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <p role="alert" className="error small">
          {errorMessage(error)}
        </p>
      )}
    </div>
  );
}
