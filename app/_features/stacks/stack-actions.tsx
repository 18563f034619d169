"use client";
/**
 * A stack's header actions: Start / Stop / Restart (every service) and Down
 * (`docker-compose down`: containers and the project's networks; named volumes,
 * images and Berth's copy of the files only when asked), each with its CLI line.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { DownResult } from "~/runtime/stacks/protocol";
import { ActionDialog } from "~/app/_components/dialog";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";
import { composeCli, downCli } from "./stack-cli";

const ACTIONS = [
  { action: "start", label: "Start" },
  { action: "stop", label: "Stop" },
  { action: "restart", label: "Restart" },
] as const;

export function StackActions({ env, name, berth, onChanged, onDown }: {
  env: string;
  name: string;
  /** Berth keeps the stack's files (deployed or adopted): Down can forget them. */
  berth: boolean;
  onChanged: () => void;
  onDown: (r: DownResult, forgot: boolean) => void;
}) {
  const trpc = useTRPC();
  const can = useCan();
  const [downOpen, setDownOpen] = useState(false);
  const action = useMutation(trpc.stacks.action.mutationOptions({ onSettled: onChanged }));
  const failed = action.data?.containers.filter((c) => !c.ok) ?? [];
  return (
    <div className="stack-actions">
      <div className="row">
        {can("stack.operate") && ACTIONS.map((a) => (
          <button key={a.action} type="button" title={composeCli(name, [a.action])} disabled={action.isPending}
            onClick={() => action.mutate({ env, id: name, action: a.action })}>
            {a.label}
          </button>
        ))}
        {can("stack.remove") && (
          <button type="button" className="danger" title={composeCli(name, ["down"])} onClick={() => setDownOpen(true)}>Down</button>
        )}
      </div>
      <p className="small muted">
        CLI: <code>{composeCli(name, ["start"])}</code> · <code>{composeCli(name, ["stop"])}</code> · <code>{composeCli(name, ["restart"])}</code> · <code>{composeCli(name, ["down"])}</code>
      </p>
      {action.error && <p role="alert" className="error">{errorMessage(action.error)}</p>}
      {failed.length > 0 && (
        <ul role="alert" className="error small">
          {failed.map((c) => <li key={c.id}>{c.name}: {c.message}</li>)}
        </ul>
      )}
      {downOpen && <DownDialog env={env} name={name} berth={berth} onClose={() => setDownOpen(false)} onDone={(r, forgot) => (setDownOpen(false), onDown(r, forgot))} />}
    </div>
  );
}

function DownDialog({ env, name, berth, onClose, onDone }: {
  env: string;
  name: string;
  berth: boolean;
  onClose: () => void;
  onDone: (r: DownResult, forgot: boolean) => void;
}) {
  const trpc = useTRPC();
  const [volumes, setVolumes] = useState(false);
  const [images, setImages] = useState<"none" | "local" | "all">("none");
  const [removeFiles, setRemoveFiles] = useState(false);
  const down = useMutation(trpc.stacks.down.mutationOptions({ onSuccess: (r) => onDone(r, removeFiles) }));
  return (
    <ActionDialog
      label={`Down stack ${name}`}
      cli={downCli(name, { volumes, images })}
      onClose={onClose}
      onSubmit={() => down.mutate({ env, id: name, volumes, images, removeFiles })}
      submitLabel="Down"
      danger
      busy={down.isPending}
      error={down.error ? errorMessage(down.error) : null}
    >
      <p>Stops and removes the stack&apos;s containers and its networks. Named volumes are kept unless you remove them.</p>
      <label className="check">
        <input type="checkbox" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} /> Remove named volumes (-v)
      </label>
      <div className="field">
        <label htmlFor="down-images">Remove images</label>
        <select id="down-images" value={images} onChange={(e) => setImages(e.target.value as typeof images)}>
          <option value="none">none</option>
          <option value="local">local (images without a custom tag)</option>
          <option value="all">all (every image the services use)</option>
        </select>
      </div>
      {berth && (
        <label className="check">
          <input type="checkbox" checked={removeFiles} onChange={(e) => setRemoveFiles(e.target.checked)} /> Forget the stack&apos;s files (and its versions)
        </label>
      )}
    </ActionDialog>
  );
}
