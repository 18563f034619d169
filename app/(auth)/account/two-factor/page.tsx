"use client";
/**
 * Two-factor set-up when an administrator requires it and the user has none
 * yet: the page guard (server/http.ts) sends every other page here until it is on.
 */
import { signOut } from "next-auth/react";
import { TwoFactorEnrol } from "../../../_features/account/two-factor-enrol";

export default function TwoFactorSetupPage() {
  return (
    <main className="auth">
      <section className="card auth-card" aria-labelledby="two-factor-title">
        <h1 id="two-factor-title">Set up two-factor sign-in</h1>
        <p className="muted">Two-factor sign-in is required for your account. You need an authenticator app (any app that reads TOTP QR codes).</p>
        <TwoFactorEnrol onFinished={() => window.location.assign("/")} />
        <button type="button" onClick={() => signOut({ callbackUrl: "/login" })}>
          Sign out
        </button>
      </section>
    </main>
  );
}
