"use client";
/** The signed-in user's own account: password, two-factor sign-in, sessions. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ChangePasswordForm } from "../../_features/account/change-password-form";
import { SessionsPanel } from "../../_features/account/sessions-panel";
import { ApiTokensPanel } from "../../_features/account/api-tokens-panel";
import { TwoFactorPanel } from "../../_features/account/two-factor-panel";
import { TwoFactorPolicy } from "../../_features/account/two-factor-policy";
import { useTRPC } from "../../_lib/trpc";

export default function AccountPage() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const { data: me } = useQuery(trpc.session.me.queryOptions());
  return (
    <section aria-labelledby="account-title" className="account">
      <div className="page-head">
        <h1 id="account-title">Account</h1>
        {me && <p className="muted">Signed in as {me.username}</p>}
      </div>
      <section className="card" aria-labelledby="account-password">
        <h2 id="account-password">Password</h2>
        <ChangePasswordForm onChanged={() => void qc.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() })} />
      </section>
      <section className="card" aria-labelledby="account-two-factor">
        <h2 id="account-two-factor">Two-factor sign-in</h2>
        <TwoFactorPanel />
        {me?.role === "admin" && (
          <>
            <h3>Requirement</h3>
            <TwoFactorPolicy />
          </>
        )}
      </section>
      <section className="card" aria-labelledby="account-sessions">
        <h2 id="account-sessions">Sessions</h2>
        <SessionsPanel />
      </section>
      <section className="card" aria-labelledby="account-api-tokens">
        <h2 id="account-api-tokens">API tokens</h2>
        <ApiTokensPanel />
      </section>
    </section>
  );
}
