"use client";
import { AccessControl } from "./access-control";
/** The container at a glance, from its inspect: state, image, command, config, ports, mounts, networks, limits. */
import type { ContainerInspectJson, ImageInspectJson } from "~/runtime/containers/types";
import { formatBytes } from "~/app/_lib/format";

const ZERO_TIME = "0001-01-01T00:00:00Z";

function when(iso: string): string {
  if (!iso || iso === ZERO_TIME) return "—";
  return new Date(iso).toLocaleString();
}

function hostFor(ip: string): string {
  if (!ip || ip === "0.0.0.0" || ip === "::") return typeof window === "undefined" ? "localhost" : window.location.hostname;
  return ip.includes(":") ? `[${ip}]` : ip;
}

function List({ items, empty = "—" }: { items: string[]; empty?: string }) {
  if (!items.length) return <span className="muted">{empty}</span>;
  return (
    <ul className="plain">
      {items.map((i) => (
        <li key={i}>
          <code>{i}</code>
        </li>
      ))}
    </ul>
  );
}

const words = (argv?: string[] | null) => (argv?.length ? JSON.stringify(argv) : "");

export function Overview({ c, image, restartPolicy }: { c: ContainerInspectJson; image: ImageInspectJson | null; restartPolicy: string }) {
  const s = c.State;
  const h = c.HostConfig;
  const ports = Object.entries(c.NetworkSettings.Ports ?? {}).flatMap(([containerPort, bindings]) =>
    (bindings ?? []).map((b) => ({ containerPort, ip: b.HostIp, port: b.HostPort })),
  );
  const seen = new Set<string>();
  const uniquePorts = ports.filter((p) => (seen.has(`${p.port}/${p.containerPort}`) ? false : (seen.add(`${p.port}/${p.containerPort}`), true)));
  const exposed = Object.keys(c.NetworkSettings.Ports ?? {}).filter((p) => !(c.NetworkSettings.Ports?.[p] ?? []).length);
  const limits: [string, string][] = [
    ["Memory", h.Memory ? formatBytes(h.Memory) : "unlimited"],
    ["Memory reservation", h.MemoryReservation ? formatBytes(h.MemoryReservation) : "—"],
    ["Memory + swap", h.MemorySwap === -1 ? "unlimited" : h.MemorySwap ? formatBytes(h.MemorySwap) : "—"],
    ["CPUs", h.NanoCpus ? String(h.NanoCpus / 1e9) : "unlimited"],
    ["CPU shares", h.CpuShares ? String(h.CpuShares) : "default"],
    ["CPU set", h.CpusetCpus || "all"],
    ["PIDs limit", h.PidsLimit && h.PidsLimit > 0 ? String(h.PidsLimit) : "unlimited"],
  ];

  return (
    <div className="overview">
      <section className="card" aria-label="Status">
        <h2>Status</h2>
        <dl className="facts">
          <dt>State</dt>
          <dd>
            <span className={`state state-${s.Status}`} data-testid="state">{s.Status}</span>
            {s.OOMKilled && <span className="error"> (OOM killed)</span>}
          </dd>
          <dt>Health</dt>
          <dd data-testid="health">{s.Health?.Status ?? <span className="muted">no healthcheck</span>}</dd>
          <dt>Exit code</dt>
          <dd data-testid="exit-code">{s.Running ? "—" : s.ExitCode}</dd>
          {s.Error && (
            <>
              <dt>Error</dt>
              <dd className="error">{s.Error}</dd>
            </>
          )}
          <dt>Started</dt>
          <dd>{when(s.StartedAt)}</dd>
          <dt>Finished</dt>
          <dd>{when(s.FinishedAt)}</dd>
          <dt>Restart count</dt>
          <dd data-testid="restart-count">{c.RestartCount ?? 0}</dd>
          <dt>Restart policy</dt>
          <dd data-testid="restart-policy">{restartPolicy}</dd>
          <dt>Created</dt>
          <dd>{when(c.Created)}</dd>
          <dt>ID</dt>
          <dd>
            <code>{c.Id}</code>
          </dd>
        </dl>
      </section>

      <section className="card" aria-label="Image and command">
        <h2>Image and command</h2>
        <dl className="facts">
          <dt>Image</dt>
          <dd>
            <code>{c.Config.Image}</code>
            {image?.RepoTags?.length ? <span className="muted small"> ({image.RepoTags.join(", ")})</span> : null}
          </dd>
          <dt>Image ID</dt>
          <dd>
            <code>{c.Image}</code>
          </dd>
          <dt>Command</dt>
          <dd>
            <code>{words(c.Config.Cmd) || "—"}</code>
            {image && words(image.Config?.Cmd) === words(c.Config.Cmd) && c.Config.Cmd?.length ? <span className="muted small"> (image default)</span> : null}
          </dd>
          <dt>Entrypoint</dt>
          <dd>
            <code>{words(c.Config.Entrypoint) || "—"}</code>
          </dd>
          <dt>Working dir</dt>
          <dd>{c.Config.WorkingDir || <span className="muted">/</span>}</dd>
          <dt>User</dt>
          <dd>{c.Config.User || <span className="muted">image default</span>}</dd>
          <dt>Environment</dt>
          <dd>
            <List items={c.Config.Env ?? []} />
          </dd>
          <dt>Labels</dt>
          <dd>
            <List items={Object.entries(c.Config.Labels ?? {}).map(([k, v]) => `${k}=${v}`)} />
          </dd>
        </dl>
      </section>

      <section className="card" aria-label="Network and storage">
        <h2>Network and storage</h2>
        <dl className="facts">
          <dt>Ports</dt>
          <dd className="ports">
            {uniquePorts.length === 0 && <span className="muted">none published</span>}
            {uniquePorts.map((p) => (
              <a key={`${p.ip}:${p.port}/${p.containerPort}`} href={`http://${hostFor(p.ip)}:${p.port}`} target="_blank" rel="noreferrer">
                {p.ip && p.ip !== "0.0.0.0" && p.ip !== "::" ? `${p.ip}:` : ""}
                {p.port}→{p.containerPort}
              </a>
            ))}
            {exposed.length > 0 && <span className="muted small"> exposed only: {exposed.join(", ")}</span>}
          </dd>
          <dt>Networks</dt>
          <dd>
            <ul className="plain" aria-label="Networks">
              {Object.entries(c.NetworkSettings.Networks ?? {}).map(([net, n]) => (
                <li key={net} data-network={net}>
                  <strong>{net}</strong> {n.IPAddress || <span className="muted">no IP</span>}
                  {n.GlobalIPv6Address ? ` ${n.GlobalIPv6Address}` : ""}
                  {n.IPAMConfig?.IPv4Address ? <span className="muted small"> (static)</span> : null}
                  {n.Aliases?.length ? <span className="muted small"> aliases: {n.Aliases.join(", ")}</span> : null}
                </li>
              ))}
            </ul>
            {!Object.keys(c.NetworkSettings.Networks ?? {}).length && <span className="muted">{h.NetworkMode}</span>}
          </dd>
          <dt>Mounts</dt>
          <dd>
            <List
              empty="none"
              items={(c.Mounts ?? []).map((m) => `${m.Type} ${m.Type === "volume" ? m.Name : m.Source} → ${m.Destination}${m.RW ? "" : " (read-only)"}`)}
            />
          </dd>
        </dl>
      </section>

      <section className="card" aria-label="Resources">
        <h2>Resources</h2>
        <dl className="facts" data-testid="limits">
          {limits.map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{k}</dt>
              <dd data-limit={k}>{v}</dd>
            </div>
          ))}
        </dl>
      </section>

      <AccessControl id={c.Id} />
    </div>
  );
}
