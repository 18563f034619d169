"use client";
/**
 * Change one's own password: the current one, then the new one twice. The
 * server applies the policy (server/auth/password-policy.ts) and names the
 * field at fault; the form shows that message under the field.
 */
import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useState, type FormEvent } from "react";
import { Field } from "../../_components/field";
import { errorMessage, useTRPC } from "../../_lib/trpc";

type Fields = "currentPassword" | "newPassword" | "confirmPassword";

function fieldOf(err: unknown): string | undefined {
  return err instanceof TRPCClientError ? (err.data as { field?: string } | undefined)?.field : undefined;
}

export function ChangePasswordForm({ onChanged, submitLabel = "Change password" }: { onChanged?: (otherSessionsEnded: number) => void; submitLabel?: string }) {
  const trpc = useTRPC();
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const [form, setForm] = useState<Record<Fields, string>>({ currentPassword: "", newPassword: "", confirmPassword: "" });
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: Fields) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    if (form.newPassword !== form.confirmPassword) {
      return setError({ field: "confirmPassword", message: "confirmPassword: does not match the new password" });
    }
    try {
      const res = await change.mutateAsync({ currentPassword: form.currentPassword, newPassword: form.newPassword });
      setForm({ currentPassword: "", newPassword: "", confirmPassword: "" });
      const others = res.otherSessionsEnded;
      setDone(`Password changed.${others ? ` ${others} other session${others === 1 ? "" : "s"} signed out.` : ""}`);
      onChanged?.(others);
    } catch (err) {
      setError({ field: fieldOf(err), message: errorMessage(err) });
    }
  }
  const errorFor = (k: Fields) => (error?.field === k ? error.message : undefined);

  return (
    <form onSubmit={submit} aria-label="Change password" className="account-form">
      <Field label="Current password" type="password" value={form.currentPassword} onChange={set("currentPassword")} autoComplete="current-password" maxLength={256} required error={errorFor("currentPassword")} />
      <Field label="New password" type="password" value={form.newPassword} onChange={set("newPassword")} autoComplete="new-password" maxLength={256} required hint={errorFor("newPassword") ? undefined : "At least 12 characters, not your username, not a common password."} error={errorFor("newPassword")} />
      <Field label="Confirm new password" type="password" value={form.confirmPassword} onChange={set("confirmPassword")} autoComplete="new-password" maxLength={256} required error={errorFor("confirmPassword")} />
      {error && <p role="alert" className="error">{error.message}</p>}
      {done && <p role="status" className="ok">{done}</p>}
      <div>
        <button className="primary" type="submit" disabled={change.isPending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
