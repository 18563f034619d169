"use client";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";
import { Field } from "../../_components/field";
import { RestoreForm } from "./restore-form";

export default function SetupPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState({ setupToken: "", username: "admin", password: "", confirmPassword: "" });
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState(false);
  const create = useMutation(trpc.setup.createAdmin.mutationOptions());

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (form.password !== form.confirmPassword) return setError("Passwords do not match.");
    try {
      await create.mutateAsync(form);
      const res = await signIn("credentials", { username: form.username, password: form.password, redirect: false });
      router.replace(res?.ok ? "/" : "/login");
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  if (restoring) {
    return (
      <main className="auth">
        <RestoreForm onCancel={() => setRestoring(false)} />
      </main>
    );
  }
  return (
    <main className="auth">
      <form className="card auth-card" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">Welcome to Berth</h1>
        <p className="muted">
          Create the administrator. The <strong>setup token</strong> was printed by the start command
          (<code>Setup token: …</code>).
        </p>
        <Field label="Setup token" value={form.setupToken} onChange={set("setupToken")} autoComplete="off" maxLength={256} required />
        <Field label="Username" value={form.username} onChange={set("username")} autoComplete="username" maxLength={64} required />
        <Field label="Password" type="password" value={form.password} onChange={set("password")} autoComplete="new-password" minLength={12} maxLength={256} required hint="At least 12 characters." />
        <Field label="Confirm password" type="password" value={form.confirmPassword} onChange={set("confirmPassword")} autoComplete="new-password" maxLength={256} required />
        {error && <p role="alert" className="error">{error}</p>}
        <button className="primary" type="submit" disabled={create.isPending}>
          Create administrator
        </button>
        <button type="button" onClick={() => setRestoring(true)}>
          Restore from backup
        </button>
      </form>
    </main>
  );
}
