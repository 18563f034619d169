"use client";
/**
 * Disk usage as `docker system df -v` shows it: the summary (type, total,
 * active, size, reclaimable) and each section's rows.
 */
import { formatBytes, timeAgo } from "~/app/_lib/format";
import type { DfTotals, DiskUsage } from "~/runtime/system/protocol";

const pct = (t: DfTotals) => (t.size > 0 ? ` (${Math.round((t.reclaimable / t.size) * 100)}%)` : "");
const short = (id: string) => id.replace(/^sha256:/, "").slice(0, 12);

export function DiskUsageView({ du }: { du: DiskUsage }) {
  const rows: [string, DfTotals][] = [
    ["Images", du.images],
    ["Containers", du.containers],
    ["Local Volumes", du.volumes],
    ["Build Cache", du.buildCache],
  ];
  return (
    <section className="disk-usage" aria-label="Disk usage">
      <table className="table" aria-label="Disk usage summary">
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Total</th>
            <th scope="col">Active</th>
            <th scope="col">Size</th>
            <th scope="col">Reclaimable</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([type, t]) => (
            <tr key={type} data-type={type}>
              <th scope="row">{type}</th>
              <td>{t.total}</td>
              <td>{t.active}</td>
              <td>{formatBytes(t.size)}</td>
              <td>
                {formatBytes(t.reclaimable)}
                {pct(t)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <details>
        <summary>Images space usage ({du.images.items.length})</summary>
        <table className="table" aria-label="Images space usage">
          <thead>
            <tr>
              <th scope="col">Repository:tag</th>
              <th scope="col">Image ID</th>
              <th scope="col">Created</th>
              <th scope="col">Size</th>
              <th scope="col">Shared size</th>
              <th scope="col">Unique size</th>
              <th scope="col">Containers</th>
            </tr>
          </thead>
          <tbody>
            {du.images.items.map((i) => (
              <tr key={i.id}>
                <td>{i.tags.join(", ") || "<none>"}</td>
                <td>
                  <code title={i.id}>{short(i.id)}</code>
                </td>
                <td>{timeAgo(i.created)}</td>
                <td>{formatBytes(i.size)}</td>
                <td>{i.sharedSize < 0 ? "—" : formatBytes(i.sharedSize)}</td>
                <td>{formatBytes(i.uniqueSize)}</td>
                <td>{i.containers < 0 ? "—" : i.containers}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <details>
        <summary>Containers space usage ({du.containers.items.length})</summary>
        <table className="table" aria-label="Containers space usage">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Container ID</th>
              <th scope="col">Image</th>
              <th scope="col">Local volumes</th>
              <th scope="col">Size</th>
              <th scope="col">Created</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {du.containers.items.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>
                  <code title={c.id}>{short(c.id)}</code>
                </td>
                <td>{c.image}</td>
                <td>{c.volumes.length}</td>
                <td>{formatBytes(c.sizeRw)}</td>
                <td>{timeAgo(c.created)}</td>
                <td>{c.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <details>
        <summary>Local volumes space usage ({du.volumes.items.length})</summary>
        <table className="table" aria-label="Local volumes space usage">
          <thead>
            <tr>
              <th scope="col">Volume name</th>
              <th scope="col">Driver</th>
              <th scope="col">Links</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {du.volumes.items.map((v) => (
              <tr key={v.name}>
                <td>{v.name}</td>
                <td>{v.driver}</td>
                <td>{v.links < 0 ? "—" : v.links}</td>
                <td>{v.size < 0 ? "N/A" : formatBytes(v.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>

      <details>
        <summary>Build cache usage ({du.buildCache.items.length})</summary>
        <table className="table" aria-label="Build cache usage">
          <thead>
            <tr>
              <th scope="col">Cache ID</th>
              <th scope="col">Cache type</th>
              <th scope="col">Size</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Usage</th>
              <th scope="col">Shared</th>
              <th scope="col">In use</th>
            </tr>
          </thead>
          <tbody>
            {du.buildCache.items.map((b) => (
              <tr key={b.id}>
                <td>
                  <code title={b.description}>{b.id}</code>
                </td>
                <td>{b.type}</td>
                <td>{formatBytes(b.size)}</td>
                <td>{b.createdAt ? timeAgo(Date.parse(b.createdAt) / 1000) : "—"}</td>
                <td>{b.lastUsedAt ? timeAgo(Date.parse(b.lastUsedAt) / 1000) : "—"}</td>
                <td>{b.usageCount}</td>
                <td>{b.shared ? "yes" : "no"}</td>
                <td>{b.inUse ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}
