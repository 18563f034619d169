"use client";
/**
 * Create a network (`docker network create`): driver, IPv4 subnet, IP range,
 * gateway, auxiliary addresses, an IPv6 subnet and gateway, internal,
 * attachable, labels, driver options, and who may use it. The address plan is
 * checked here as the runtime checks it (runtime/run-spec/subnets.ts); an
 * overlap with another network is the runtime's to find. Errors show by field.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ipamProblems, type IpamInput } from "~/runtime/run-spec/subnets";
import { networkDrivers } from "~/runtime/networks/protocol";
import { shellQuote } from "~/runtime/run-spec/shell-quote";
import { ActionDialog } from "~/app/_components/dialog";
import { Field } from "~/app/_components/field";
import { AccessChoice, accessOf, type AccessChoiceValue } from "~/app/_features/containers/create/access-choice";
import { errorField, KeyValuesField, parseKeyValues } from "~/app/_features/volumes/key-values";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";

/** Which control shows a problem with this protocol field (`ipam[0].gateway` → the Gateway field). */
function controlOf(field: string, v6At: number): string {
  const m = /^ipam\[(\d+)\]\.(\w+)/.exec(field);
  if (!m) return field.split(/[.[]/)[0]!;
  const v6 = Number(m[1]) === v6At;
  const part = m[2] === "auxAddresses" ? "aux" : m[2]!;
  return v6 ? `v6.${part}` : part;
}

export function CreateNetworkDialog({ env, onClose, onCreated }: { env: string; onClose: () => void; onCreated: (id: string) => void }) {
  const trpc = useTRPC();
  const [f, setF] = useState({ name: "", driver: "bridge", subnet: "", ipRange: "", gateway: "", aux: "", ipv6: false, subnet6: "", gateway6: "", internal: false, attachable: false, labels: "", options: "" });
  const set = <K extends keyof typeof f>(k: K) => (v: (typeof f)[K]) => setF((p) => ({ ...p, [k]: v }));
  const [access, setAccess] = useState<AccessChoiceValue>({ access: "default", teamIds: [] });
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ message: string; field?: string } | null>(null);
  const mutation = useMutation(
    trpc.networks.create.mutationOptions({
      onError: (e) => setServer({ message: errorMessage(e), field: errorField(e) }),
      onSuccess: (r) => onCreated(r.id),
    }),
  );

  const aux = parseKeyValues(f.aux, "name");
  const labels = parseKeyValues(f.labels, "label");
  const options = parseKeyValues(f.options, "option");
  const ipam: IpamInput[] = [];
  if (f.subnet.trim()) ipam.push({ subnet: f.subnet.trim(), ...(f.ipRange.trim() ? { ipRange: f.ipRange.trim() } : {}), ...(f.gateway.trim() ? { gateway: f.gateway.trim() } : {}), ...(Object.keys(aux.map).length ? { auxAddresses: aux.map } : {}) });
  const v6At = f.ipv6 && f.subnet6.trim() ? ipam.length : -1;
  if (v6At >= 0) ipam.push({ subnet: f.subnet6.trim(), ...(f.gateway6.trim() ? { gateway: f.gateway6.trim() } : {}) });

  const errors = new Map<string, string>();
  if (submitted) {
    if (!f.name.trim()) errors.set("name", "name: is required");
    if (!f.subnet.trim() && (f.ipRange.trim() || f.gateway.trim() || Object.keys(aux.map).length)) errors.set("subnet", "ipam[0].subnet: a subnet is needed for an IP range, gateway or auxiliary addresses");
    if (aux.error) errors.set("aux", `auxAddresses: ${aux.error}`);
    if (labels.error) errors.set("labels", `labels: ${labels.error}`);
    if (options.error) errors.set("options", `options: ${options.error}`);
    for (const p of ipamProblems(ipam, f.ipv6)) if (!errors.has(controlOf(p.field, v6At))) errors.set(controlOf(p.field, v6At), p.message);
  }
  if (server?.field) errors.set(controlOf(server.field, v6At), server.message);
  const err = (k: string) => errors.get(k);
  const shown = new Set(["name", "driver", "subnet", "ipRange", "gateway", "aux", "v6.subnet", "v6.gateway", "labels", "options"]);
  const general = server && (!server.field || !shown.has(controlOf(server.field, v6At))) ? server.message : null;

  const submit = () => {
    setSubmitted(true);
    setServer(null);
    const local = !f.name.trim() || aux.error || labels.error || options.error || ipamProblems(ipam, f.ipv6).length > 0 || (!f.subnet.trim() && (f.ipRange.trim() || f.gateway.trim()));
    if (local) return;
    mutation.mutate({
      env,
      name: f.name.trim(),
      driver: f.driver as (typeof networkDrivers)[number],
      ipam,
      enableIPv6: f.ipv6,
      internal: f.internal,
      attachable: f.attachable,
      labels: labels.map,
      options: options.map,
      ...accessOf(access),
    });
  };
  const cli = [
    "docker network create",
    f.driver !== "bridge" ? `--driver ${f.driver}` : "",
    ...ipam.flatMap((c) => [`--subnet ${c.subnet}`, c.ipRange ? `--ip-range ${c.ipRange}` : "", c.gateway ? `--gateway ${c.gateway}` : "", ...Object.entries(c.auxAddresses ?? {}).map(([k, v]) => `--aux-address ${shellQuote(`${k}=${v}`)}`)]),
    f.ipv6 ? "--ipv6" : "",
    f.internal ? "--internal" : "",
    f.attachable ? "--attachable" : "",
    ...Object.entries(labels.map).map(([k, v]) => `--label ${shellQuote(`${k}=${v}`)}`),
    ...Object.entries(options.map).map(([k, v]) => `--opt ${shellQuote(`${k}=${v}`)}`),
    f.name.trim() ? shellQuote(f.name.trim()) : "NAME",
  ].filter(Boolean).join(" ");

  return (
    <ActionDialog label="Create network" cli={cli} onClose={onClose} onSubmit={submit} submitLabel="Create" busy={mutation.isPending} error={general}>
      <Field label="Name" value={f.name} onChange={set("name")} error={err("name")} />
      <div className="field">
        <label>
          Driver{" "}
          <select aria-label="Driver" value={f.driver} onChange={(e) => set("driver")(e.target.value)}>
            {networkDrivers.map((d) => (
              <option key={d} value={d}>{d === "overlay" ? "overlay (Swarm only)" : d}</option>
            ))}
          </select>
        </label>
        {err("driver") && <small className="error">{err("driver")}</small>}
      </div>
      <Field label="Subnet" value={f.subnet} onChange={set("subnet")} placeholder="10.231.8.0/24" error={err("subnet")} />
      <Field label="IP range" value={f.ipRange} onChange={set("ipRange")} placeholder="10.231.8.128/25" error={err("ipRange")} />
      <Field label="Gateway" value={f.gateway} onChange={set("gateway")} placeholder="10.231.8.1" error={err("gateway")} />
      <KeyValuesField label="Auxiliary addresses" value={f.aux} onChange={set("aux")} placeholder="router=10.231.8.2" hint="One name=address per line (--aux-address)" error={err("aux")} />
      <label className="check">
        <input type="checkbox" checked={f.ipv6} onChange={(e) => set("ipv6")(e.target.checked)} /> <span>Enable IPv6</span>
      </label>
      {f.ipv6 && (
        <>
          <Field label="IPv6 subnet" value={f.subnet6} onChange={set("subnet6")} placeholder="fd00:8::/64" error={err("v6.subnet")} />
          <Field label="IPv6 gateway" value={f.gateway6} onChange={set("gateway6")} placeholder="fd00:8::1" error={err("v6.gateway")} />
        </>
      )}
      <label className="check">
        <input type="checkbox" checked={f.internal} onChange={(e) => set("internal")(e.target.checked)} /> <span>Internal</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={f.attachable} onChange={(e) => set("attachable")(e.target.checked)} /> <span>Attachable</span>
      </label>
      <KeyValuesField label="Labels" value={f.labels} onChange={set("labels")} placeholder="team=web" error={err("labels")} />
      <KeyValuesField label="Driver options" value={f.options} onChange={set("options")} placeholder="com.docker.network.bridge.name=br-web" error={err("options")} />
      <AccessChoice env={env} value={access} onChange={setAccess} />
    </ActionDialog>
  );
}
