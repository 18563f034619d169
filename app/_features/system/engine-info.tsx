"use client";
/**
 * `docker info` and `docker version` in readable sections: the engine and
 * its versions, host, storage, cgroups and runtimes, registries, swarm,
 * plugins, security and the engine's own warnings.
 */
import type { ReactNode } from "react";
import { formatBytes } from "~/app/_lib/format";
import type { SystemInfo } from "~/runtime/system/protocol";

function Facts({ title, rows }: { title: string; rows: [string, ReactNode][] }) {
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      <dl className="facts">
        {rows.map(([k, v]) => (
          <div className="fact" key={k}>
            <dt>{k}</dt>
            <dd>{v === "" || v === undefined ? <span className="muted">—</span> : v}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const list = (xs: string[]) => (xs.length ? xs.join(", ") : <span className="muted">none</span>);

export function EngineInfo({ info }: { info: SystemInfo }) {
  return (
    <div className="engine-sections">
      <Facts
        title="Version"
        rows={[
          ["Name", info.name],
          ["Server version", info.serverVersion],
          ["API version", `${info.apiVersion}${info.minApiVersion ? ` (minimum ${info.minApiVersion})` : ""}`],
          ["Git commit", info.gitCommit],
          ["Go version", info.goVersion],
          ["Built", info.buildTime],
          ["Experimental", info.experimental ? "yes" : "no"],
          ...info.components.map((c): [string, ReactNode] => [c.name, c.version]),
          ["Live restore", info.liveRestore ? "enabled" : "disabled"],
        ]}
      />
      <Facts
        title="Host"
        rows={[
          ["Operating system", `${info.os}${info.osVersion ? ` (${info.osVersion})` : ""}`],
          ["OS type / architecture", `${info.osType} / ${info.arch}`],
          ["Kernel", info.kernel],
          ["CPUs", String(info.cpus)],
          ["Memory", formatBytes(info.memory)],
          ["Containers", `${info.containers.total} (${info.containers.running} running, ${info.containers.paused} paused, ${info.containers.stopped} stopped)`],
          ["Images", String(info.images)],
          ["System time", info.systemTime],
        ]}
      />
      <Facts
        title="Storage"
        rows={[
          ["Storage driver", info.storageDriver],
          ...info.storageStatus.map(([k, v]): [string, ReactNode] => [k, v]),
          ["Docker root dir", <code key="root">{info.dataRoot}</code>],
          ["Logging driver", info.loggingDriver],
        ]}
      />
      <Facts
        title="Cgroups and runtimes"
        rows={[
          ["Cgroup driver", info.cgroupDriver],
          ["Cgroup version", info.cgroupVersion],
          ["Runtimes", list(info.runtimes)],
          ["Default runtime", info.defaultRuntime],
        ]}
      />
      <Facts
        title="Registries"
        rows={[
          ["Registry mirrors", list(info.registryMirrors)],
          ["Insecure registries", list(info.insecureRegistries)],
          ["Index server", info.indexServerAddress],
          ["HTTP proxy", info.proxies.http],
          ["HTTPS proxy", info.proxies.https],
          ["No proxy", info.proxies.no],
        ]}
      />
      <Facts
        title="Swarm"
        rows={[
          ["Swarm", info.swarm.state],
          ...(info.swarm.nodeId ? ([["Node ID", info.swarm.nodeId], ["Node address", info.swarm.nodeAddr], ["Manager", info.swarm.controlAvailable ? "yes" : "no"]] as [string, ReactNode][]) : []),
          ...(info.swarm.managers !== undefined ? ([["Managers", String(info.swarm.managers)]] as [string, ReactNode][]) : []),
          ...(info.swarm.nodes !== undefined ? ([["Nodes", String(info.swarm.nodes)]] as [string, ReactNode][]) : []),
          ...(info.swarm.error ? ([["Error", info.swarm.error]] as [string, ReactNode][]) : []),
        ]}
      />
      <Facts
        title="Plugins"
        rows={[
          ["Volume", list(info.plugins.volume)],
          ["Network", list(info.plugins.network)],
          ["Log", list(info.plugins.log)],
          ["Authorization", list(info.plugins.authorization)],
        ]}
      />
      <Facts
        title="Security"
        rows={[
          ["Security options", info.securityOptions.length ? <ul className="plain">{info.securityOptions.map((s) => <li key={s}>{s}</li>)}</ul> : list([])],
          ["Labels", list(info.labels)],
        ]}
      />
      {info.warnings.length > 0 && (
        <section className="card" aria-label="Warnings">
          <h2>Warnings</h2>
          <ul className="plain">
            {info.warnings.map((w) => (
              <li key={w} className="error small">
                {w}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
