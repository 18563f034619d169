"use client";
/** The user's live sessions: where they are signed in, with sign-out of one or of all the others. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";

const when = (d: Date | string) => new Date(d).toLocaleString();

export function SessionsPanel() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery({ ...trpc.account.sessions.queryOptions(), refetchInterval: 30_000 });
  const refresh = () => qc.invalidateQueries({ queryKey: trpc.account.sessions.queryKey() });
  const revoke = useMutation(trpc.account.revokeSession.mutationOptions({ onSettled: refresh }));
  const revokeOthers = useMutation(trpc.account.revokeOtherSessions.mutationOptions({ onSettled: refresh }));
  const [error, setError] = useState<string | null>(null);
  const act = (p: Promise<unknown>) => {
    setError(null);
    p.catch((err: unknown) => setError(errorMessage(err)));
  };
  const sessions = list.data ?? [];
  const others = sessions.filter((s) => !s.current).length;

  return (
    <div className="account-sessions">
      {list.error ? (
        <p role="alert" className="error">{errorMessage(list.error)}</p>
      ) : list.isLoading ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="table" aria-label="Sessions">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Address</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last seen</th>
              <th scope="col" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} data-session={s.id} data-current={s.current ? "true" : undefined}>
                <td title={s.userAgent ?? undefined}>
                  {s.device}
                  {s.current && <strong className="ok"> · This session</strong>}
                </td>
                <td>{s.address ?? "—"}</td>
                <td>{when(s.signedInAt)}</td>
                <td>{when(s.lastSeenAt)}</td>
                <td>
                  {!s.current && (
                    <button type="button" disabled={revoke.isPending} onClick={() => act(revoke.mutateAsync({ id: s.id }))}>
                      Sign out
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <p>
        <button type="button" disabled={!others || revokeOthers.isPending} onClick={() => act(revokeOthers.mutateAsync())}>
          Sign out all other sessions
        </button>
      </p>
    </div>
  );
}
