"use client";
/** Name, image, command & entrypoint, user, console, labels, environment, hostname: `docker run`'s basics. */
import { useState } from "react";
import type { ImageDefaults } from "~/runtime/containers/create-types";
import { shellQuote } from "~/runtime/run-spec/index";
import { tokenize } from "~/runtime/run-spec/tokenize";
import { Check, ErrorText, Rows, Section, Select, Text, useFormApi } from "./form-kit";
import { EnvEditor } from "./env-editor";

const words = (list: string[] | undefined) => (list ?? []).map(shellQuote).join(" ");

/** Default (the image's value) or an override typed as shell words. */
function Override({ k, label, imageValue }: { k: "command" | "entrypoint"; label: string; imageValue?: string[] }) {
  const f = useFormApi();
  const current = f.spec[k];
  const [override, setOverride] = useState(current !== undefined);
  const [text, setText] = useState(current?.length === 1 && current[0] === "" ? "" : words(current));
  const apply = (on: boolean, value: string) => {
    if (!on) return f.set(k, undefined);
    const list = tokenize(value).tokens.map((t) => t.text);
    // An empty entrypoint override is `--entrypoint ""`: no entrypoint at all, not the image's.
    f.set(k, list.length ? list : k === "entrypoint" ? [""] : undefined);
  };
  return (
    <fieldset className="field wide">
      <legend>{label}</legend>
      <div className="row">
        <label className="check">
          <input type="radio" name={`${k}-mode`} checked={!override} onChange={() => (setOverride(false), apply(false, text))} />
          <span>Default</span>
        </label>
        <label className="check">
          <input type="radio" name={`${k}-mode`} checked={override} onChange={() => (setOverride(true), apply(true, text))} />
          <span>Override</span>
        </label>
      </div>
      {override ? (
        <label className="field">
          <span>{`${label} override`}</span>
          <input value={text} placeholder={words(imageValue)} onChange={(e) => (setText(e.target.value), apply(true, e.target.value))} spellCheck={false} />
        </label>
      ) : null}
      <small className="muted" data-testid={`image-${k}`}>
        Image default: {imageValue?.length ? <code>{words(imageValue)}</code> : "none"}
      </small>
      <ErrorText messages={[f.err(k)]} />
    </fieldset>
  );
}

function ImageHint({ defaults, loading }: { defaults?: ImageDefaults; loading: boolean }) {
  if (loading) return <>Looking the image up…</>;
  if (!defaults) return null;
  if (!defaults.present) return <>Not on this engine: Berth will pull it when you create the container.</>;
  return <>On this engine ({defaults.id?.replace(/^sha256:/, "").slice(0, 12)}).</>;
}

export function BaseSection({ defaults, loading, images }: { defaults?: ImageDefaults; loading: boolean; images: string[] }) {
  return (
    <Section title="General" open>
      <Text k="name" label="Name" placeholder="(Docker picks one)" hint="--name: letters, digits, _ . - (at least two)" />
      <Text k="image" label="Image" placeholder="nginx:latest" list="image-options" hint={<ImageHint defaults={defaults} loading={loading} />} />
      <datalist id="image-options">
        {images.map((i) => (
          <option key={i} value={i} />
        ))}
      </datalist>
      <Check k="alwaysPull" label="Always pull the image" hint="--pull always" />
      <Text k="platform" label="Platform" placeholder="linux/amd64" />
    </Section>
  );
}

export function CommandSection({ defaults }: { defaults?: ImageDefaults }) {
  return (
    <Section title="Command & console" open>
      <Override k="command" label="Command" imageValue={defaults?.cmd} />
      <Override k="entrypoint" label="Entrypoint" imageValue={defaults?.entrypoint} />
      <Text k="workingDir" label="Working dir" placeholder={defaults?.workingDir ?? "/"} hint="-w" />
      <Text k="user" label="User" placeholder={defaults?.user || "root"} hint="-u: name|uid[:group|gid]" />
      <Check k="interactive" label="Interactive (-i)" hint="keep STDIN open" />
      <Check k="tty" label="TTY (-t)" hint="allocate a pseudo-TTY" />
      <Check k="detach" label="Detached (-d)" hint="nothing attached: the way Berth runs containers" />
      <Check k="autoRemove" label="Auto remove (--rm)" hint="remove the container when it exits" />
      <Select
        k="init"
        label="Init"
        options={[["", "engine default"], ["true", "--init (tini as PID 1)"], ["false", "--init=false"]]}
        toValue={(v) => v === "true"}
      />
    </Section>
  );
}

export function LabelsEnvSection({ defaults }: { defaults?: ImageDefaults }) {
  return (
    <Section title="Environment & labels" open>
      <EnvEditor imageEnv={defaults?.env} />
      <fieldset className="field wide">
        <legend>Labels</legend>
        <Rows<[string, string]>
        k="labels"
        item="Label"
        blank={["", ""]}
        columns={[
          { label: "Name", get: (r) => r[0], set: (r, v) => [String(v), r[1]] },
          { label: "Value", get: (r) => r[1], set: (r, v) => [r[0], String(v)] },
        ]}
        fromSpec={(v) => Object.entries((v as Record<string, string> | undefined) ?? {})}
        toSpec={(rows) => Object.fromEntries(rows.filter(([n, val]) => n !== "" || val !== ""))}
        />
      </fieldset>
      <Text k="hostname" label="Hostname" hint="-h" />
      <Text k="domainname" label="Domain name" hint="--domainname" />
    </Section>
  );
}
