"use client";
/** Administrators: who must use two-factor sign-in (the `auth.require2fa` setting). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";

const CHOICES = [
  { value: "off", label: "Nobody (each user chooses)" },
  { value: "admins", label: "Administrators" },
  { value: "all", label: "All users" },
] as const;
type Choice = (typeof CHOICES)[number]["value"];

export function TwoFactorPolicy() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.account.twoFactorPolicy.queryOptions());
  const save = useMutation(trpc.account.setTwoFactorPolicy.mutationOptions());
  const [choice, setChoice] = useState<Choice | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const value = choice ?? current.data?.require2fa ?? "off";

  async function submit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    try {
      await save.mutateAsync({ require2fa: value });
      await qc.invalidateQueries({ queryKey: trpc.account.twoFactorPolicy.queryKey() });
      setMessage({ ok: true, text: "Saved." });
    } catch (err) {
      setMessage({ ok: false, text: errorMessage(err) });
    }
  }
  if (current.error) return <p role="alert" className="error">{errorMessage(current.error)}</p>;
  return (
    <form onSubmit={submit} aria-label="Two-factor requirement" className="row">
      <label>
        Require two-factor sign-in for{" "}
        <select value={value} onChange={(e) => setChoice(e.target.value as Choice)} disabled={!current.data}>
          {CHOICES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={save.isPending || !current.data}>
        Save
      </button>
      {message && (
        <span role={message.ok ? "status" : "alert"} className={message.ok ? "ok" : "error"}>
          {message.text}
        </span>
      )}
    </form>
  );
}
