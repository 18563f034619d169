import type { Metadata } from "next";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "./_lib/trpc";
import "./globals.css";

export const metadata: Metadata = { title: "Berth", description: "A self-hosted dashboard for Docker" };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
