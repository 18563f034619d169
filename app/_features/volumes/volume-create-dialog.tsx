"use client";
/** Create a volume (`docker volume create`): name, driver, driver options, labels, and who may use it. */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { VOLUME_NAME_PATTERN } from "~/runtime/volumes/protocol";
import { ActionDialog } from "~/app/_components/dialog";
import { Field } from "~/app/_components/field";
import { AccessChoice, accessOf, type AccessChoiceValue } from "~/app/_features/containers/create/access-choice";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { shellQuote } from "~/runtime/run-spec/shell-quote";
import { errorField, KeyValuesField, parseKeyValues } from "./key-values";

export function CreateVolumeDialog({ env, onClose, onCreated }: { env: string; onClose: () => void; onCreated: (name: string) => void }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [driver, setDriver] = useState("local");
  const [opts, setOpts] = useState("");
  const [labels, setLabels] = useState("");
  const [access, setAccess] = useState<AccessChoiceValue>({ access: "default", teamIds: [] });
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ message: string; field?: string } | null>(null);
  const mutation = useMutation(
    trpc.volumes.create.mutationOptions({
      onError: (e) => setServer({ message: errorMessage(e), field: errorField(e) }),
      onSuccess: (r) => onCreated(r.name),
    }),
  );
  const nameProblem = name.trim() && !VOLUME_NAME_PATTERN.test(name.trim()) ? "Name: letters, digits, _ . - (at least 2, starting with a letter or digit)" : undefined;
  const o = parseKeyValues(opts, "option");
  const l = parseKeyValues(labels, "label");
  const fieldError = (f: string) => (server?.field && (server.field === f || server.field.startsWith(`${f}.`) || server.field.startsWith(`${f}[`)) ? server.message : undefined);
  const known = ["name", "driver", "driverOpts", "labels"];
  const submit = () => {
    setSubmitted(true);
    setServer(null);
    if (nameProblem || o.error || l.error) return;
    mutation.mutate({ env, ...(name.trim() ? { name: name.trim() } : {}), driver: driver.trim() || "local", driverOpts: o.map, labels: l.map, ...accessOf(access) });
  };
  const cli = ["docker volume create", driver.trim() && driver.trim() !== "local" ? `--driver ${shellQuote(driver.trim())}` : "",
    ...Object.entries(o.map).map(([k, v]) => `--opt ${shellQuote(`${k}=${v}`)}`), ...Object.entries(l.map).map(([k, v]) => `--label ${shellQuote(`${k}=${v}`)}`), name.trim() ? shellQuote(name.trim()) : ""]
    .filter(Boolean).join(" ");
  return (
    <ActionDialog
      label="Create volume"
      cli={cli}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Create"
      busy={mutation.isPending}
      error={server && !known.some((f) => fieldError(f)) ? server.message : null}
    >
      <Field label="Name" value={name} onChange={setName} placeholder="Docker names it when empty" error={(submitted ? nameProblem : undefined) ?? fieldError("name")} />
      <Field label="Driver" value={driver} onChange={setDriver} error={fieldError("driver")} />
      <KeyValuesField label="Driver options" value={opts} onChange={setOpts} placeholder={"type=tmpfs\ndevice=tmpfs"} error={(submitted ? o.error : undefined) ?? fieldError("driverOpts")} />
      <KeyValuesField label="Labels" value={labels} onChange={setLabels} placeholder="team=web" error={(submitted ? l.error : undefined) ?? fieldError("labels")} />
      <AccessChoice env={env} value={access} onChange={setAccess} />
    </ActionDialog>
  );
}
