import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "./_lib/trpc";
import "./globals.css";

export const metadata: Metadata = {
  title: "Berth",
  description: "A self-hosted dashboard for Docker",
  icons: { icon: { url: "/favicon.svg", type: "image/svg+xml" } },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, never prerendered: Next puts the request's CSP nonce
  // (set in server/http) on its inline scripts only when it renders the page.
  await connection();
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
