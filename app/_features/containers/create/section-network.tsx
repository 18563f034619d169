"use client";
/** Network (--network, --ip, aliases, links, DNS, hosts, MAC) and the restart policy. */
import type { CreateOptions } from "~/runtime/containers/create-types";
import { restartPolicies } from "~/runtime/run-spec/index";
import { parseHostEntry, parseLink } from "~/runtime/run-spec/syntax-misc";
import { ErrorText, Lines, Section, Select, Text, useFormApi } from "./form-kit";

type Net = CreateOptions["networks"][number];

function NetworkChoice({ networks }: { networks: Net[] }) {
  const f = useFormApi();
  const value = f.spec.network ?? "";
  const isContainer = value.startsWith("container:");
  const builtin = ["bridge", "host", "none"];
  const user = networks.filter((n) => !builtin.includes(n.name));
  const known = value === "" || isContainer || builtin.includes(value) || user.some((n) => n.name === value);
  return (
    <>
      <label className="field">
        <span>Network</span>
        <select value={isContainer ? "container:" : value} onChange={(e) => f.set("network", e.target.value === "" ? undefined : e.target.value)}>
          <option value="">default (bridge)</option>
          <option value="bridge">bridge</option>
          <option value="host">host</option>
          <option value="none">none</option>
          {user.map((n) => (
            <option key={n.name} value={n.name}>
              {`${n.name} (${n.driver}${n.subnets.length ? `, ${n.subnets.join(", ")}` : ""})`}
            </option>
          ))}
          {!known && <option value={value}>{value}</option>}
          <option value="container:">another container's network (container:NAME)</option>
        </select>
      </label>
      <ErrorText messages={[f.err("network")]} />
      {isContainer && (
        <label className="field">
          <span>Container to share the network of</span>
          <input value={value.slice("container:".length)} onChange={(e) => f.set("network", `container:${e.target.value}`)} />
        </label>
      )}
    </>
  );
}

export function NetworkSection({ networks }: { networks: Net[] }) {
  const f = useFormApi();
  const chosen = networks.find((n) => n.name === f.spec.network);
  const subnets = chosen?.subnets.length ? `inside ${chosen.subnets.join(", ")}` : "needs a user-defined network";
  return (
    <Section title="Network">
      <NetworkChoice networks={networks} />
      <Text k="ip" label="IPv4 address" hint={`--ip: ${subnets}`} />
      <Text k="ip6" label="IPv6 address" hint="--ip6" />
      <Lines k="networkAliases" label="Network aliases" hint="--network-alias, one per line" rows={2} />
      <Lines k="links" label="Links (--link)" hint="one per line: container[:alias]" parse={parseLink} format={(l) => (l.alias ? `${l.container}:${l.alias}` : l.container)} rows={2} />
      <Lines k="dns" label="DNS servers (--dns)" hint="one IP per line" rows={2} />
      <Lines k="dnsSearch" label="DNS search domains (--dns-search)" rows={2} />
      <Lines k="dnsOptions" label="DNS options (--dns-option)" rows={2} />
      <Lines k="addHosts" label="Extra hosts (--add-host)" hint="one per line: host:ip (or host:host-gateway)" parse={parseHostEntry} format={(h) => `${h.host}:${h.ip}`} rows={2} />
      <Text k="macAddress" label="MAC address" placeholder="92:d0:c6:0a:29:33" />
    </Section>
  );
}

export function RestartSection() {
  const f = useFormApi();
  return (
    <Section title="Restart policy" open>
      <Select
        k="restart"
        label="Restart policy"
        options={[["", "no (default)"], ...restartPolicies.filter((p) => p !== "no").map((p): [string, string] => [p, p])]}
      />
      {f.spec.restart === "on-failure" || f.spec.restartMaxRetries !== undefined ? (
        <Text k="restartMaxRetries" label="Maximum retries" numeric hint="on-failure:N; empty: no limit" />
      ) : null}
    </Section>
  );
}
