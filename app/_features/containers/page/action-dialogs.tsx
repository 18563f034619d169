"use client";
/** The container page's dialogs that take more than one field: Update, Commit, Connect, Disconnect. */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { ContainerInspectJson } from "~/runtime/containers/types";
import { ActionDialog } from "~/app/_components/dialog";
import { Field } from "~/app/_components/field";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { cli } from "../cli";

type Done = (message: string) => void;
interface DialogProps {
  c: ContainerInspectJson;
  name: string;
  onClose: () => void;
  onDone: Done;
}

const bytesText = (n?: number) => (n ? (n % 1024 ** 2 === 0 ? `${n / 1024 ** 2}m` : String(n)) : "");

export function UpdateDialog({ c, name, onClose, onDone }: DialogProps) {
  const trpc = useTRPC();
  const env = useEnv();
  const h = c.HostConfig;
  const [f, setF] = useState({
    memory: bytesText(h.Memory),
    memoryReservation: bytesText(h.MemoryReservation),
    memorySwap: h.MemorySwap === -1 ? "-1" : bytesText(h.MemorySwap),
    cpus: h.NanoCpus ? String(h.NanoCpus / 1e9) : "",
    cpuShares: h.CpuShares ? String(h.CpuShares) : "",
    cpusetCpus: h.CpusetCpus ?? "",
    pidsLimit: h.PidsLimit ? String(h.PidsLimit) : "",
    restart: h.RestartPolicy?.Name || "no",
    retries: String(h.RestartPolicy?.MaximumRetryCount ?? 0),
  });
  const set = (k: keyof typeof f) => (v: string) => setF((o) => ({ ...o, [k]: v }));
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.containers.update.mutationOptions({
      onError: (e) => setError(errorMessage(e)),
      onSuccess: (r) => onDone(`Updated ${name}${r.warnings.length ? ` (warnings: ${r.warnings.join("; ")})` : ""}`),
    }),
  );
  const changed = <K extends keyof typeof f>(k: K, initial: string) => (f[k] !== initial ? f[k] : undefined);
  // Only what the person changed is sent, as `docker update` only touches the flags given.
  const initial = useState(f)[0];
  const restart = f.restart !== initial.restart || f.retries !== initial.retries ? `${f.restart}${f.restart === "on-failure" && f.retries !== "0" ? `:${f.retries}` : ""}` : undefined;
  const memory = changed("memory", initial.memory);
  const swap = changed("memorySwap", initial.memorySwap);
  // Berth sets swap to twice the memory when only memory changes (the engine refuses otherwise): show it.
  const shownSwap = swap ?? (memory && /^\d+m$/.test(memory) ? `${Number(memory.slice(0, -1)) * 2}m` : undefined);
  const flags = {
    memory,
    memoryReservation: changed("memoryReservation", initial.memoryReservation),
    memorySwap: shownSwap,
    cpus: changed("cpus", initial.cpus),
    cpuShares: changed("cpuShares", initial.cpuShares),
    cpusetCpus: changed("cpusetCpus", initial.cpusetCpus),
    pidsLimit: changed("pidsLimit", initial.pidsLimit),
    restart,
  };
  const num = (s?: string) => (s === undefined || s === "" ? undefined : Number(s));
  const submit = () => {
    setError(null);
    update.mutate({
      env,
      id: c.Id,
      ...(flags.memory !== undefined ? { memory: flags.memory || "0" } : {}),
      ...(flags.memoryReservation !== undefined ? { memoryReservation: flags.memoryReservation || "0" } : {}),
      ...(swap !== undefined ? { memorySwap: swap || "0" } : {}),
      ...(flags.cpus !== undefined ? { cpus: flags.cpus || "0" } : {}),
      ...(flags.cpuShares !== undefined ? { cpuShares: num(flags.cpuShares) ?? 0 } : {}),
      ...(flags.cpusetCpus !== undefined ? { cpusetCpus: flags.cpusetCpus } : {}),
      ...(flags.pidsLimit !== undefined ? { pidsLimit: num(flags.pidsLimit) ?? 0 } : {}),
      ...(restart
        ? { restartPolicy: { name: f.restart as "no", ...(f.restart === "on-failure" ? { maximumRetryCount: Number(f.retries) || 0 } : {}) } }
        : {}),
    });
  };
  return (
    <ActionDialog label={`Update ${name}`} cli={cli.update(name, flags)} onClose={onClose} onSubmit={submit} submitLabel="Update" busy={update.isPending} error={error}>
      <div className="grid2">
        <Field label="Memory" value={f.memory} onChange={set("memory")} placeholder="e.g. 256m" hint="--memory" />
        <Field label="Memory reservation" value={f.memoryReservation} onChange={set("memoryReservation")} hint="--memory-reservation" />
        <Field label="Memory + swap" value={f.memorySwap} onChange={set("memorySwap")} hint="--memory-swap (-1: unlimited; empty: twice the memory)" />
        <Field label="CPUs" value={f.cpus} onChange={set("cpus")} placeholder="e.g. 1.5" hint="--cpus" />
        <Field label="CPU shares" value={f.cpuShares} onChange={set("cpuShares")} inputMode="numeric" hint="--cpu-shares" />
        <Field label="CPU set" value={f.cpusetCpus} onChange={set("cpusetCpus")} placeholder="e.g. 0-1" hint="--cpuset-cpus" />
        <Field label="PIDs limit" value={f.pidsLimit} onChange={set("pidsLimit")} inputMode="numeric" hint="--pids-limit (-1: unlimited)" />
        <div className="field">
          <label htmlFor="restart-policy">Restart policy</label>
          <select id="restart-policy" value={f.restart} onChange={(e) => set("restart")(e.target.value)}>
            <option value="no">no</option>
            <option value="always">always</option>
            <option value="unless-stopped">unless-stopped</option>
            <option value="on-failure">on-failure</option>
          </select>
        </div>
        {f.restart === "on-failure" && <Field label="Maximum retries" value={f.retries} onChange={set("retries")} inputMode="numeric" />}
      </div>
    </ActionDialog>
  );
}

export function CommitDialog({ c, name, onClose, onDone }: DialogProps) {
  const trpc = useTRPC();
  const env = useEnv();
  const [f, setF] = useState({ repository: "", tag: "", message: "", author: "", changes: "", pause: true });
  const [error, setError] = useState<string | null>(null);
  const changes = f.changes.split("\n").map((l) => l.trim()).filter(Boolean);
  const commit = useMutation(
    trpc.containers.commit.mutationOptions({
      onError: (e) => setError(errorMessage(e)),
      onSuccess: (r) => onDone(`Committed ${name} to ${r.reference ?? "an untagged image"} (${r.imageId.slice(7, 19)})`),
    }),
  );
  const submit = () => {
    setError(null);
    commit.mutate({
      env,
      id: c.Id,
      ...(f.repository ? { repository: f.repository } : {}),
      ...(f.tag ? { tag: f.tag } : {}),
      ...(f.message ? { message: f.message } : {}),
      ...(f.author ? { author: f.author } : {}),
      ...(changes.length ? { changes } : {}),
      pause: f.pause,
    });
  };
  return (
    <ActionDialog label={`Commit ${name}`} cli={cli.commit(name, { ...f, changes })} onClose={onClose} onSubmit={submit} submitLabel="Commit" busy={commit.isPending} error={error}>
      <div className="grid2">
        <Field label="Repository" value={f.repository} onChange={(v) => setF({ ...f, repository: v })} placeholder="e.g. myorg/web" />
        <Field label="Tag" value={f.tag} onChange={(v) => setF({ ...f, tag: v })} placeholder="latest" />
        <Field label="Message" value={f.message} onChange={(v) => setF({ ...f, message: v })} hint="--message" />
        <Field label="Author" value={f.author} onChange={(v) => setF({ ...f, author: v })} hint="--author" />
      </div>
      <div className="field">
        <label htmlFor="commit-changes">Changes</label>
        <textarea id="commit-changes" rows={3} value={f.changes} placeholder={'CMD ["sh"]'} onChange={(e) => setF({ ...f, changes: e.target.value })} />
        <small className="muted">One Dockerfile instruction a line (--change)</small>
      </div>
      <label>
        <input type="checkbox" checked={f.pause} onChange={(e) => setF({ ...f, pause: e.target.checked })} /> Pause the container while committing
      </label>
    </ActionDialog>
  );
}

export function ConnectDialog({ c, name, onClose, onDone }: DialogProps) {
  const trpc = useTRPC();
  const env = useEnv();
  const [f, setF] = useState({ network: "", ipv4: "", ipv6: "", aliases: "" });
  const [error, setError] = useState<string | null>(null);
  const aliases = f.aliases.split(/[\s,]+/).filter(Boolean);
  const connect = useMutation(
    trpc.containers.networkConnect.mutationOptions({
      onError: (e) => setError(errorMessage(e)),
      onSuccess: (r) => onDone(`Connected ${name} to ${r.network}`),
    }),
  );
  const submit = () => {
    setError(null);
    connect.mutate({
      env,
      id: c.Id,
      network: f.network,
      ...(f.ipv4 ? { ipv4: f.ipv4 } : {}),
      ...(f.ipv6 ? { ipv6: f.ipv6 } : {}),
      ...(aliases.length ? { aliases } : {}),
    });
  };
  return (
    <ActionDialog label={`Connect ${name} to a network`} cli={cli.connect(name, f.network, f.ipv4, f.ipv6, aliases)} onClose={onClose} onSubmit={submit} submitLabel="Connect" busy={connect.isPending} error={error}>
      <Field label="Network" value={f.network} onChange={(v) => setF({ ...f, network: v })} required />
      <div className="grid2">
        <Field label="IPv4 address" value={f.ipv4} onChange={(v) => setF({ ...f, ipv4: v })} hint="--ip (user networks only)" />
        <Field label="IPv6 address" value={f.ipv6} onChange={(v) => setF({ ...f, ipv6: v })} hint="--ip6" />
      </div>
      <Field label="Aliases" value={f.aliases} onChange={(v) => setF({ ...f, aliases: v })} hint="--alias, separated by spaces or commas" />
    </ActionDialog>
  );
}

export function DisconnectDialog({ c, name, onClose, onDone }: DialogProps) {
  const trpc = useTRPC();
  const env = useEnv();
  const networks = Object.keys(c.NetworkSettings.Networks ?? {});
  const [network, setNetwork] = useState(networks[0] ?? "");
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disconnect = useMutation(
    trpc.containers.networkDisconnect.mutationOptions({
      onError: (e) => setError(errorMessage(e)),
      onSuccess: (r) => onDone(`Disconnected ${name} from ${r.network}`),
    }),
  );
  return (
    <ActionDialog
      label={`Disconnect ${name} from a network`}
      cli={cli.disconnect(name, network, force)}
      onClose={onClose}
      onSubmit={() => disconnect.mutate({ env, id: c.Id, network, force })}
      submitLabel="Disconnect"
      danger
      busy={disconnect.isPending}
      error={error}
    >
      <div className="field">
        <label htmlFor="disconnect-network">Network</label>
        <select id="disconnect-network" value={network} onChange={(e) => setNetwork(e.target.value)}>
          {networks.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </div>
      <label>
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force
      </label>
    </ActionDialog>
  );
}
