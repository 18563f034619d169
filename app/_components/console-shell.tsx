"use client";
/**
 * The frame of every signed-in page: top navigation, user menu, engine banner
 * and the live connection. Inside `/e/<env>/…` it follows that environment;
 * on pages tied to no environment (audit) it shows the default one.
 */
import { useQuery } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { LiveProvider } from "../_lib/live";
import { useTRPC } from "../_lib/trpc";
import { decodeSegment, envPath } from "../_lib/env-path";
import { EngineBanner } from "./engine-banner";
import { TasksButton } from "../_features/tasks/tasks-panel";

function UserMenu() {
  const trpc = useTRPC();
  const { data: me } = useQuery(trpc.session.me.queryOptions());
  return (
    <details className="user-menu">
      <summary aria-label="User menu">{me?.username ?? "…"}</summary>
      <div className="menu">
        <p className="muted">Signed in as {me?.username} ({me?.role})</p>
        <button type="button" onClick={() => signOut({ callbackUrl: "/login" })}>
          Sign out
        </button>
      </div>
    </details>
  );
}

/** The environment the frame shows: the page's own when it is a known one, else the default. */
function useShellEnv(environments: string[], defaultEnv: string | undefined): string | undefined {
  const params = useParams<{ env?: string }>();
  const fromUrl = typeof params?.env === "string" ? decodeSegment(params.env) : undefined;
  return fromUrl && environments.includes(fromUrl) ? fromUrl : defaultEnv;
}

export function ConsoleShell({ environments, defaultEnv, children }: { environments: string[]; defaultEnv: string | undefined; children: ReactNode }) {
  const pathname = usePathname();
  const env = useShellEnv(environments, defaultEnv);
  const home = env ? envPath(env, "") : "/";
  const trpc = useTRPC();
  const admin = useQuery(trpc.session.me.queryOptions()).data?.role === "admin";
  const nav = [
    ...(env
      ? [
          { href: home, label: "Home", exact: true },
          { href: envPath(env, "/containers"), label: "Containers", exact: false },
          { href: envPath(env, "/stacks"), label: "Stacks", exact: false },
          { href: envPath(env, "/templates"), label: "Templates", exact: false },
          { href: envPath(env, "/images"), label: "Images", exact: false },
          { href: envPath(env, "/volumes"), label: "Volumes", exact: false },
          { href: envPath(env, "/networks"), label: "Networks", exact: false },
          { href: envPath(env, "/logs"), label: "Logs", exact: false },
          { href: envPath(env, "/events"), label: "Events", exact: false },
          { href: envPath(env, "/engine"), label: "Engine", exact: false },
          { href: envPath(env, "/settings"), label: "Security", exact: false },
        ]
      : []),
    // Users and teams are administrators' pages (team leaders reach Teams from their own link).
    ...(admin ? [{ href: "/users", label: "Users", exact: false }, { href: "/teams", label: "Teams", exact: false }] : []),
    ...(admin ? [{ href: "/registries", label: "Registries", exact: false }] : []),
    ...(admin ? [{ href: "/settings/backup", label: "Backup", exact: false }] : []),
    ...(admin ? [{ href: "/audit", label: "Audit", exact: false }] : []),
    ...(admin ? [{ href: "/settings", label: "Settings", exact: true }] : []),
  ];
  const current = (href: string, exact: boolean) => pathname === href || (!exact && pathname.startsWith(`${href}/`));
  const frame = (
    <div className="shell">
      <header className="topbar">
        <Link href={home} className="brand">
          <img src="/logo.svg" alt="Berth" height={22} width={82} />
        </Link>
        <nav aria-label="Main">
          {nav.map((n) => (
            <Link key={n.label} href={n.href} aria-current={current(n.href, n.exact) ? "page" : undefined}>
              {n.label}
            </Link>
          ))}
        </nav>
        {env && <TasksButton env={env} />}
        <Link href="/account" aria-current={current("/account", false) ? "page" : undefined}>
          Account
        </Link>
        <UserMenu />
      </header>
      {env && <EngineBanner env={env} />}
      <main className="content">{children}</main>
    </div>
  );
  return env ? <LiveProvider env={env}>{frame}</LiveProvider> : frame;
}
