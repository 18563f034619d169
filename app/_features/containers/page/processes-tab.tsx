"use client";
/** `docker top`, with the ps arguments field. */
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { cli } from "../cli";

/** `refreshMs`: how often the list is read again (the Stats tab reads it with every sample). */
export function ProcessesTab({ id, name, running, refreshMs = 5_000 }: { id: string; name: string; running: boolean; refreshMs?: number }) {
  const trpc = useTRPC();
  const env = useEnv();
  const [draft, setDraft] = useState("");
  const [psArgs, setPsArgs] = useState("");
  const top = useQuery({ ...trpc.containers.top.queryOptions({ env, id, ...(psArgs ? { psArgs } : {}) }), enabled: running, refetchInterval: refreshMs });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPsArgs(draft.trim());
  };
  if (!running) return <p className="muted">The container is not running: it has no processes.</p>;
  return (
    <div>
      <form className="row" onSubmit={submit}>
        <label htmlFor="ps-args">ps arguments</label>
        <input id="ps-args" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="-ef (default)" />
        <button type="submit">Show</button>
        <code className="muted small">{cli.top(name, psArgs)}</code>
      </form>
      {top.error ? (
        <p role="alert" className="error">{errorMessage(top.error)}</p>
      ) : !top.data ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="table" aria-label="Processes">
          <thead>
            <tr>
              {top.data.titles.map((t) => (
                <th key={t} scope="col">{t}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {top.data.processes.map((p, i) => (
              <tr key={i}>
                {p.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
