"use client";
import { useQuery } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { EngineBanner } from "../_components/engine-banner";
import { LiveProvider } from "../_lib/live";
import { useTRPC } from "../_lib/trpc";

const nav = [
  { href: "/", label: "Home" },
  { href: "/containers", label: "Containers" },
  { href: "/logs", label: "Logs" },
  { href: "/audit", label: "Audit" },
];

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

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  return (
    <LiveProvider>
      <div className="shell">
        <header className="topbar">
          <Link href="/" className="brand">
            <img src="/logo.svg" alt="Berth" height={22} width={82} />
          </Link>
          <nav aria-label="Main">
            {nav.map((n) => (
              <Link key={n.href} href={n.href} aria-current={pathname === n.href || (n.href !== "/" && pathname.startsWith(`${n.href}/`)) ? "page" : undefined}>
                {n.label}
              </Link>
            ))}
          </nav>
          <UserMenu />
        </header>
        <EngineBanner />
        <main className="content">{children}</main>
      </div>
    </LiveProvider>
  );
}
