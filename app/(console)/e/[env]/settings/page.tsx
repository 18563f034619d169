"use client";
import { SecuritySection } from "~/app/_features/environment-security/security-section";
import { useEnv } from "~/app/_lib/use-env";

export default function EnvironmentSettingsPage() {
  const env = useEnv();
  return (
    <section aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Environment settings</h1>
      </div>
      <SecuritySection env={env} />
    </section>
  );
}
