"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../_lib/trpc";

/** A row's details: the list's short preview, and the whole (capped) text on request. */
export function AuditDetails({ id, preview, truncated }: { id: number; preview: string; truncated: boolean }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const full = useQuery(trpc.audit.details.queryOptions({ id }, { enabled: open && truncated }));
  const text = truncated ? full.data?.details ?? preview : preview;
  return (
    <details onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Show details</summary>
      {/"recording":"\d+\.cast"/.test(preview) && <Link href={`/audit/recordings/${id}`}>Replay session</Link>}
      {full.error ? <p className="error">{errorMessage(full.error)}</p> : null}
      <pre style={{ whiteSpace: "pre-wrap", wordBreak: "break-all", maxWidth: "40rem", maxHeight: "20rem", overflow: "auto" }}>{text}</pre>
    </details>
  );
}
