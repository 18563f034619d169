"use client";
import { useQuery } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "../../_lib/trpc";

/** "Verify": recomputes the hash chain on the server and says whether it holds, or which entry breaks it. */
export function VerifyChain() {
  const trpc = useTRPC();
  const q = useQuery(trpc.audit.verify.queryOptions(undefined, { enabled: false, staleTime: 0, gcTime: 0, retry: false }));
  const r = q.data;
  return (
    <div style={{ display: "flex", gap: "0.5rem", alignItems: "center" }}>
      <button type="button" onClick={() => void q.refetch()} disabled={q.isFetching}>
        {q.isFetching ? "Verifying…" : "Verify"}
      </button>
      <span role="status" aria-label="Verification result">
        {q.isFetching ? null : q.error ? (
          <span className="error">{errorMessage(q.error)}</span>
        ) : r?.ok ? (
          <span className="ok" title={r.head ? `Newest entry: seq ${r.head.seq}, hash ${r.head.hash}` : undefined}>{`Chain verified: ${r.checked} entries`}</span>
        ) : r?.firstBroken ? (
          <span className="error">{`Chain broken at entry ${r.firstBroken.id}${r.firstBroken.seq != null ? ` (seq ${r.firstBroken.seq})` : ""}: ${r.firstBroken.reason}. ${r.checked} entries before it verified.`}</span>
        ) : null}
      </span>
    </div>
  );
}
