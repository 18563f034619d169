"use client";
/**
 * The environment's Security settings: what non-administrators may do there.
 * Each checkbox saves on change (an audited call); Administrators and the
 * environment's administrators change them, everyone else reads them.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { securitySwitches, switchLabels, type SecuritySwitch } from "~/server/security/switches";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

export function SecuritySection({ env }: { env: string }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const key = trpc.environmentSecurity.get.queryKey({ env });
  const { data, error } = useQuery(trpc.environmentSecurity.get.queryOptions({ env }));
  // The box shows the change at once; a refused change puts it back (the query is the truth).
  const [shown, setShown] = useState<Partial<Record<SecuritySwitch, boolean>>>({});
  const set = useMutation(
    trpc.environmentSecurity.set.mutationOptions({
      onSettled: async () => {
        await qc.invalidateQueries({ queryKey: key });
        setShown({});
      },
    }),
  );
  return (
    <section className="card" aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      <p className="muted small">
        What users who are neither Administrators nor this environment&apos;s administrators may do. Each one is off until turned on: a container with a host path or
        the Docker socket mounted, or in privileged mode, can read the host&apos;s secrets. Checked on every create, whether from the form, a pasted command or the API.
      </p>
      {error ? (
        <p role="alert" className="error">
          {errorMessage(error)}
        </p>
      ) : !data ? (
        <p className="muted">Loading…</p>
      ) : (
        <div className="rows">
          {securitySwitches.map((s) => (
            <label key={s} className="check" title={switchLabels[s].hint}>
              <input
                type="checkbox"
                checked={shown[s] ?? data.settings[s]}
                disabled={!data.canManage || set.isPending}
                onChange={(e) => {
                  setShown({ [s]: e.target.checked });
                  set.mutate({ env, settings: { [s]: e.target.checked } });
                }}
              />
              {switchLabels[s].label}
              <span className="muted small">{switchLabels[s].hint}</span>
            </label>
          ))}
          {!data.canManage && <p className="muted small">Only administrators can change these.</p>}
        </div>
      )}
      {set.error && (
        <p role="alert" className="error small">
          {errorMessage(set.error)}
        </p>
      )}
    </section>
  );
}
