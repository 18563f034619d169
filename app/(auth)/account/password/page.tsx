"use client";
/**
 * The only page open while an administrator's reset is pending (the page guard
 * in server/http.ts sends every other page here): choose a new password.
 */
import { signOut } from "next-auth/react";
import { ChangePasswordForm } from "../../../_features/account/change-password-form";

export default function ChangePasswordPage() {
  return (
    <main className="auth">
      <section className="card auth-card" aria-labelledby="change-password-title">
        <h1 id="change-password-title">Choose a new password</h1>
        <p className="muted">Enter your current password (the one you signed in with) and choose a new one before you continue.</p>
        {/* A full load: the server decides where to go next (Berth, or two-factor set-up when it is required). */}
        <ChangePasswordForm submitLabel="Change password" onChanged={() => window.location.assign("/")} />
        <button type="button" onClick={() => signOut({ callbackUrl: "/login" })}>
          Sign out
        </button>
      </section>
    </main>
  );
}
