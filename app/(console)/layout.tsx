import type { ReactNode } from "react";
import { connections, defaultEnvironmentId } from "~/server/engines/registry";
import { ConsoleShell } from "../_components/console-shell";

export default function ConsoleLayout({ children }: { children: ReactNode }) {
  return (
    <ConsoleShell environments={connections().map((c) => c.id)} defaultEnv={defaultEnvironmentId()}>
      {children}
    </ConsoleShell>
  );
}
