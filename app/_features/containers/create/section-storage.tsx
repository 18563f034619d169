"use client";
/** Ports (-p, -P, --expose) and storage (-v, --mount, --tmpfs, --volumes-from). */
import type { ImageDefaults } from "~/runtime/containers/create-types";
import {
  propagations, type PortSpec, type RunSpec, type VolumeSpec,
} from "~/runtime/run-spec/index";
import { formatTmpfs, parseTmpfs, parseVolumesFrom } from "~/runtime/run-spec/syntax-misc";
import { formatMountSpec, parseMountSpec } from "~/runtime/run-spec/syntax-storage";
import { Check, Lines, num, Rows, Section, Text } from "./form-kit";

/** A port row as typed: ranges as `8000-8002`, numbers as text until they are numbers. */
interface PortRow { hostIp: string; host: string; container: string; protocol: string; rest: PortSpec | null }

const range = (p: number | undefined, end: number | undefined) => (p === undefined ? "" : end !== undefined && end !== p ? `${p}-${end}` : String(p));
const splitRange = (text: string): [unknown, unknown] => {
  const m = /^\s*([^-]*?)\s*(?:-\s*(.*?)\s*)?$/.exec(text) ?? [];
  return [num(m[1] ?? ""), m[2] === undefined ? undefined : num(m[2])];
};

function portToRow(p: PortSpec): PortRow {
  return { hostIp: p.hostIp ?? "", host: range(p.hostPort, p.hostPortEnd), container: range(p.containerPort, p.containerPortEnd), protocol: p.protocol ?? "tcp", rest: p };
}

function rowToPort(r: PortRow): PortSpec {
  const [hostPort, hostPortEnd] = splitRange(r.host);
  const [containerPort, containerPortEnd] = splitRange(r.container);
  const out: Record<string, unknown> = { containerPort: containerPort ?? "" };
  if (r.hostIp.trim()) out.hostIp = r.hostIp.trim();
  if (hostPort !== undefined) out.hostPort = hostPort;
  if (hostPortEnd !== undefined) out.hostPortEnd = hostPortEnd;
  if (containerPortEnd !== undefined) out.containerPortEnd = containerPortEnd;
  if (r.protocol !== "tcp") out.protocol = r.protocol;
  return out as unknown as PortSpec;
}

export function PortsSection({ defaults }: { defaults?: ImageDefaults }) {
  const exposed = defaults?.exposedPorts ?? [];
  return (
    <Section title="Ports" open>
      <Check k="publishAll" label="Publish all exposed ports (-P)" hint="to random host ports" />
      <p className="muted small wide" data-testid="image-exposed">
        Exposed by the image: {exposed.length ? exposed.join(", ") : "none"}
      </p>
      <Rows<PortRow>
        k="ports"
        item="Port mapping"
        blank={{ hostIp: "", host: "", container: "", protocol: "tcp", rest: null }}
        columns={[
          { label: "Host IP", placeholder: "all interfaces", field: "hostIp", get: (r) => r.hostIp, set: (r, v) => ({ ...r, hostIp: String(v) }) },
          { label: "Host port or range", placeholder: "any free port", field: "hostPort", get: (r) => r.host, set: (r, v) => ({ ...r, host: String(v) }) },
          { label: "Container port or range", field: "containerPort", get: (r) => r.container, set: (r, v) => ({ ...r, container: String(v) }) },
          {
            label: "Protocol", get: (r) => r.protocol, set: (r, v) => ({ ...r, protocol: String(v) }),
            options: [["tcp", "TCP"], ["udp", "UDP"], ["sctp", "SCTP"]],
          },
        ]}
        fromSpec={(v) => ((v as PortSpec[] | undefined) ?? []).map(portToRow)}
        toSpec={(rows) => rows.map(rowToPort)}
      />
      <Lines k="expose" label="Expose (--expose)" hint="one port or range per line: 80, 7000-7010, 53/udp" rows={2} />
    </Section>
  );
}

type VolumeKind = "anonymous" | "named" | "bind";
const kindOf = (v: VolumeSpec): VolumeKind => (v.source === undefined ? "anonymous" : v.source.startsWith("/") ? "bind" : "named");

export function StorageSection({ volumes }: { volumes: string[] }) {
  return (
    <Section title="Volumes & mounts">
      <Rows<VolumeSpec>
        k="volumes"
        item="Volume"
        blank={{ source: "", target: "" }}
        columns={[
          {
            label: "Type", get: kindOf,
            set: (v, t) => (t === "anonymous" ? { target: v.target } : { ...v, source: t === "bind" ? (v.source?.startsWith("/") ? v.source : "/") : (v.source?.startsWith("/") ? "" : (v.source ?? "")) }),
            options: [["named", "Volume (named)"], ["bind", "Bind (host path)"], ["anonymous", "Anonymous volume"]],
          },
          {
            label: "Source (volume name or host path)", field: "source", placeholder: volumes[0] ?? "my-data",
            get: (v) => v.source ?? "", set: (v, s) => ({ ...v, source: String(s) }),
          },
          { label: "Container path", field: "target", placeholder: "/data", get: (v) => v.target, set: (v, s) => ({ ...v, target: String(s) }) },
          { label: "Read-only", get: (v) => v.mode === "ro", set: (v, on) => ({ ...v, mode: on ? "ro" : undefined }) },
          {
            label: "Propagation", get: (v) => v.propagation ?? "",
            set: (v, p) => ({ ...v, propagation: (p || undefined) as VolumeSpec["propagation"] }),
            options: [["", "default"], ...propagations.map((p): [string, string] => [p, p])],
          },
        ]}
        fromSpec={(v) => (v as VolumeSpec[] | undefined) ?? []}
        toSpec={(rows) => rows.map(clean)}
      />
      <Lines
        k="mounts"
        label="Mounts (--mount)"
        hint="one per line: type=volume|bind|tmpfs,source=…,target=…[,readonly][,bind-propagation=…][,tmpfs-size=…]"
        parse={parseMountSpec}
        format={formatMountSpec}
      />
      <Lines k="tmpfs" label="Tmpfs (--tmpfs)" hint="one per line: /run:rw,noexec,nosuid,size=65536k" parse={(l) => ({ value: parseTmpfs(l) })} format={formatTmpfs} rows={2} />
      <Lines<NonNullable<RunSpec["volumesFrom"]>[number]>
        k="volumesFrom"
        label="Volumes from (--volumes-from)"
        hint="one container per line, :ro for read-only"
        parse={parseVolumesFrom}
        format={(v) => (v.mode ? `${v.container}:${v.mode}` : v.container)}
        rows={2}
      />
      <Text k="volumeDriver" label="Volume driver" placeholder="local" />
    </Section>
  );
}

/** Drops the empty options a row leaves behind, so the command says only what was chosen. */
function clean(v: VolumeSpec): VolumeSpec {
  const out = { ...v };
  for (const key of Object.keys(out) as (keyof VolumeSpec)[]) if (out[key] === undefined) delete out[key];
  return out;
}
