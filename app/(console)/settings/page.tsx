"use client";
/**
 * Berth's settings, for Administrators: two-factor enforcement, audit
 * retention, backup, and where users, teams and each environment's security
 * are managed. Anyone else is told plainly; the procedures refuse them anyway.
 */
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { TwoFactorPolicy } from "~/app/_features/account/two-factor-policy";
import { RetentionSetting } from "~/app/(console)/audit/retention";
import { TemplateSources } from "~/app/_features/templates/template-sources";
import { envPath } from "~/app/_lib/env-path";
import { useTRPC } from "~/app/_lib/trpc";

export default function SettingsPage() {
  const trpc = useTRPC();
  const me = useQuery(trpc.session.me.queryOptions());
  const envs = useQuery(trpc.environments.list.queryOptions());
  if (me.isPending) return <p className="muted">Loading…</p>;
  if (me.data?.role !== "admin") {
    return (
      <section aria-labelledby="settings-title">
        <h1 id="settings-title">Settings</h1>
        <p role="alert" className="error">
          Settings are for Administrators only: your role may not change them.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="settings-title" className="settings">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      <section className="card" aria-labelledby="settings-2fa">
        <h2 id="settings-2fa">Two-factor sign-in</h2>
        <TwoFactorPolicy />
      </section>
      <section className="card" aria-labelledby="settings-audit">
        <h2 id="settings-audit">Audit history</h2>
        <RetentionSetting />
      </section>
      <section className="card" aria-labelledby="settings-templates">
        <h2 id="settings-templates">App template sources</h2>
        <TemplateSources />
      </section>
      <section className="card" aria-labelledby="settings-more">
        <h2 id="settings-more">Users, environments and backup</h2>
        <ul>
          <li>
            <Link href="/users">Users</Link>, <Link href="/teams">Teams</Link> and <Link href="/users/access">Roles</Link>
          </li>
          {envs.data?.map((e) => (
            <li key={e.id}>
              <Link href={envPath(e.id, "/settings")}>Security of {e.name}</Link>
            </li>
          ))}
          <li>
            <Link href="/settings/backup">Backup</Link>
          </li>
        </ul>
      </section>
    </section>
  );
}
