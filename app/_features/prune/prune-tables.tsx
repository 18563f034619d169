"use client";
/**
 * What a prune would remove (its preview: each item with its size, the total,
 * what it keeps and why) and what it did (each item removed, or skipped or
 * failed with the reason).
 */
import { formatBytes } from "~/app/_lib/format";
import type { PruneConfirmResult, PruneItemType, PrunePreview } from "~/runtime/system/protocol";

const TYPE_WORDS: Record<PruneItemType, string> = { container: "Container", network: "Network", volume: "Volume", image: "Image", "build-cache": "Build cache" };

const shortId = (type: PruneItemType, id: string) => (type === "volume" ? id : id.replace(/^sha256:/, "").slice(0, 12));
const size = (n: number) => (n < 0 ? "unknown" : formatBytes(n));

export function PrunePreviewTable({ preview }: { preview: PrunePreview }) {
  const several = new Set(preview.items.map((i) => i.type)).size > 1 || preview.kind === "system";
  return (
    <section aria-label="Prune preview" className="prune-preview">
      <p role="status" data-testid="prune-summary">
        {preview.items.length === 0
          ? "Nothing to remove."
          : `${preview.items.length} item${preview.items.length === 1 ? "" : "s"} would be removed, reclaiming ${formatBytes(preview.totalSize)}.`}
        {preview.truncated && " (Only the first ones are listed: prune again for the rest.)"}
      </p>
      {preview.items.length > 0 && (
        <div className="prune-scroll">
          <table className="table" aria-label="Items to remove">
            <thead>
              <tr>
                {several && <th scope="col">Type</th>}
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Size</th>
                <th scope="col">Note</th>
              </tr>
            </thead>
            <tbody>
              {preview.items.map((i) => (
                <tr key={`${i.type}:${i.id}`} data-id={i.id}>
                  {several && <td>{TYPE_WORDS[i.type]}</td>}
                  <td>{i.name}</td>
                  <td>
                    <code title={i.id}>{shortId(i.type, i.id)}</code>
                  </td>
                  <td>{size(i.size)}</td>
                  <td className="muted small">{i.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {preview.kept.length > 0 && (
        <details>
          <summary>Kept ({preview.kept.length})</summary>
          <ul className="plain small">
            {preview.kept.map((k) => (
              <li key={`${k.type}:${k.id}`}>
                {k.name} <span className="muted">— {k.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {preview.notes.map((n) => (
        <p key={n} className="muted small">
          {n}
        </p>
      ))}
    </section>
  );
}

const OUTCOME_WORDS = { removed: "Removed", skipped: "Skipped", failed: "Failed" } as const;

export function PruneResultsTable({ result }: { result: PruneConfirmResult }) {
  return (
    <section aria-label="Prune results">
      <p role="status" data-testid="prune-result-summary">
        Removed {result.removed}, skipped {result.skipped}, failed {result.failed}; reclaimed {formatBytes(result.spaceReclaimed)}.
      </p>
      <div className="prune-scroll">
        <table className="table" aria-label="Prune results">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">ID</th>
              <th scope="col">Result</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {result.results.map((r) => (
              <tr key={`${r.type}:${r.id}`} data-id={r.id} data-outcome={r.outcome}>
                <td>{r.name}</td>
                <td>
                  <code title={r.id}>{shortId(r.type, r.id)}</code>
                </td>
                <td className={r.outcome === "removed" ? "ok" : r.outcome === "failed" ? "error" : "muted"}>{OUTCOME_WORDS[r.outcome]}</td>
                <td className="small">{r.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
