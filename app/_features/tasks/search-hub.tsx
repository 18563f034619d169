"use client";
/**
 * `docker search`: Docker Hub's search, asked through the engine (which must
 * reach the Hub itself). Results fill the pull dialog's Image field; an engine
 * that cannot reach the Hub is said so in a few seconds, not a spinner.
 */
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../../_lib/trpc";

export function SearchHub({ env, onPick }: { env: string; onPick: (name: string) => void }) {
  const trpc = useTRPC();
  const [term, setTerm] = useState("");
  const [asked, setAsked] = useState<string>();
  const search = useQuery({ ...trpc.imageTransfer.search.queryOptions({ env, term: asked ?? "", limit: 25 }), enabled: !!asked, retry: false, staleTime: 60_000 });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    if (term.trim()) setAsked(term.trim());
  };
  return (
    <details className="search-hub">
      <summary>Search Docker Hub</summary>
      <div className="row" role="search">
        <input aria-label="Search term" value={term} onChange={(e) => setTerm(e.target.value)} placeholder="nginx" onKeyDown={(e) => e.key === "Enter" && submit(e)} />
        <button type="button" onClick={submit} disabled={search.isFetching}>
          {search.isFetching ? "Searching…" : "Search"}
        </button>
      </div>
      {(search.error || search.data?.unreachable) && (
        <p role="alert" className="error small">
          {search.error?.message ?? search.data?.unreachable}
        </p>
      )}
      {search.data && !search.data.unreachable && search.data.results.length === 0 && <p className="muted small">No images match “{asked}”.</p>}
      {search.data && search.data.results.length > 0 && (
        <table className="table" aria-label="Search results">
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Stars</th>
              <th>Official</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {search.data.results.map((r) => (
              <tr key={r.name}>
                <td>
                  <code>{r.name}</code>
                </td>
                <td className="small">{r.description}</td>
                <td>{r.stars}</td>
                <td>{r.official ? "Yes" : ""}</td>
                <td>
                  <button type="button" aria-label={`Use ${r.name}`} onClick={() => onPick(r.name)}>
                    Use
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
