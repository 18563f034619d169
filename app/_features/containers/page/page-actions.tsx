"use client";
/**
 * Every action on one container, named in Docker's words, each with its CLI
 * equivalent as the button's title and as a visible line in its dialog.
 */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ContainerInspectJson } from "~/runtime/containers/types";
import { ActionDialog } from "~/app/_components/dialog";
import { Field } from "~/app/_components/field";
import { envPath } from "~/app/_lib/env-path";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { useCan } from "~/app/_lib/use-can";
import { cli } from "../cli";
import { CommitDialog, ConnectDialog, DisconnectDialog, UpdateDialog } from "./action-dialogs";

type Open = null | "stop" | "kill" | "rename" | "remove" | "recreate" | "update" | "commit" | "connect" | "disconnect";

export function PageActions({ c, onChanged }: { c: ContainerInspectJson; onChanged: () => void }) {
  const trpc = useTRPC();
  const env = useEnv();
  const can = useCan();
  const router = useRouter();
  const name = c.Name.replace(/^\//, "");
  const [open, setOpen] = useState<Open>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [timeout, setTimeoutText] = useState("10");
  const [signal, setSignal] = useState("SIGKILL");
  const [newName, setNewName] = useState(name);
  const [force, setForce] = useState(false);
  const [volumes, setVolumes] = useState(false);
  const [pull, setPull] = useState(false);

  const close = () => {
    setOpen(null);
    setError(null);
  };
  const done = (message: string) => {
    close();
    setNotice(message);
    onChanged();
  };
  // `already`: what Docker's 304 means (the container was in that state), said as such rather than as done.
  const opts = (message: string, already?: string) => ({
    onError: (e: unknown) => setError(errorMessage(e)),
    onSuccess: (r: unknown) => done(already && (r as { changed?: boolean } | null)?.changed === false ? already : message),
  });
  const start = useMutation(trpc.containers.start.mutationOptions(opts(`Started ${name}`, `${name} was already running`)));
  const stop = useMutation(trpc.containers.stop.mutationOptions(opts(`Stopped ${name}`, `${name} was already stopped`)));
  const restart = useMutation(trpc.containers.restart.mutationOptions(opts(`Restarted ${name}`)));
  const kill = useMutation(trpc.containers.kill.mutationOptions(opts(`Sent ${signal} to ${name}`)));
  const pause = useMutation(trpc.containers.pause.mutationOptions(opts(`Paused ${name}`, `${name} was already paused`)));
  const unpause = useMutation(trpc.containers.unpause.mutationOptions(opts(`Resumed ${name}`, `${name} was not paused`)));
  const rename = useMutation(trpc.containers.rename.mutationOptions(opts(`Renamed ${name} to ${newName}`)));
  const remove = useMutation(
    trpc.containers.remove.mutationOptions({ onError: (e) => setError(errorMessage(e)), onSuccess: () => router.push(envPath(env, "/containers")) }),
  );
  const recreate = useMutation(
    trpc.containers.recreate.mutationOptions({
      onError: (e) => setError(errorMessage(e)),
      // The old id is gone: go to the new container's page rather than refetching.
      onSuccess: (r) => {
        close();
        router.replace(envPath(env, `/containers/${r.id}`));
      },
    }),
  );

  const s = c.State;
  const running = s.Running || s.Restarting;
  const busy = [start, stop, restart, kill, pause, unpause].some((m) => m.isPending);
  const dialogProps = { c, name, onClose: close, onDone: done };
  const t = Number(timeout);
  const validTimeout = timeout.trim() !== "" && Number.isInteger(t) && t >= 0;

  return (
    <div className="page-actions">
      <div className="actions" role="group" aria-label={`Actions for ${name}`}>
        {can("container.start") && (
          <button type="button" disabled={busy || running} title={cli.start([name])} onClick={() => start.mutate({ env, id: c.Id })}>
            Start
          </button>
        )}
        {can("container.stop") && (
          <button type="button" disabled={busy || !running} title={cli.stop([name])} onClick={() => setOpen("stop")}>
            Stop
          </button>
        )}
        {can("container.restart") && (
          <button type="button" disabled={busy} title={cli.restart([name])} onClick={() => restart.mutate({ env, id: c.Id })}>
            Restart
          </button>
        )}
        {can("container.kill") && (
          <button type="button" disabled={busy || !running} title={cli.kill([name])} onClick={() => setOpen("kill")}>
            Kill
          </button>
        )}
        {can("container.pause") && (s.Paused ? (
            <button type="button" disabled={busy} title={cli.unpause([name])} onClick={() => unpause.mutate({ env, id: c.Id })}>
              Resume
            </button>
          ) : (
            <button type="button" disabled={busy || !s.Running} title={cli.pause([name])} onClick={() => pause.mutate({ env, id: c.Id })}>
              Pause
            </button>
          ))}
        {can("container.rename") && (
          <button type="button" title={cli.rename(name, "NEW_NAME")} onClick={() => { setNewName(name); setOpen("rename"); }}>
            Rename
          </button>
        )}
        {can("container.recreate") && (
          <button type="button" title={cli.recreate(name, c.Config.Image, false)} onClick={() => setOpen("recreate")}>
            Recreate
          </button>
        )}
        {can("container.create") && (
          <Link className="button" href={envPath(env, `/containers/new?from=${encodeURIComponent(c.Id)}`)} title={`docker run … (the form, pre-filled from ${name})`}>
            Duplicate/Edit
          </Link>
        )}
        {can("container.update") && (
          <button type="button" title={cli.updateHint(name)} onClick={() => setOpen("update")}>
            Update
          </button>
        )}
        {can("container.commit") && (
          <button type="button" title={cli.commitHint(name)} onClick={() => setOpen("commit")}>
            Commit
          </button>
        )}
        {can("container.export") && (
          <a className="button" href={`/api${envPath(env, `/containers/${encodeURIComponent(c.Id)}/export`)}`} download={`${name}.tar`} title={cli.export(name)}>
            Export
          </a>
        )}
        {can("container.network") && (
          <button type="button" title={cli.connect(name, "NETWORK")} onClick={() => setOpen("connect")}>
            Connect to network
          </button>
        )}
        {can("container.network") && (
          <button type="button" title={cli.disconnect(name, "NETWORK")} onClick={() => setOpen("disconnect")} disabled={!Object.keys(c.NetworkSettings.Networks ?? {}).length}>
            Disconnect
          </button>
        )}
        {can("container.remove") && (
          <button type="button" className="danger" title={cli.remove([name], running)} onClick={() => { setForce(running); setOpen("remove"); }}>
            Remove
          </button>
        )}
      </div>
      {notice && !open && (
        <p role="status" className="ok small">
          {notice}
        </p>
      )}
      {error && !open && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}

      {open === "stop" && (
        <ActionDialog label={`Stop ${name}`} cli={cli.stop([name], validTimeout ? t : undefined)} onClose={close} submitLabel="Stop" busy={stop.isPending} error={error}
          onSubmit={() => (validTimeout ? stop.mutate({ env, id: c.Id, timeout: t }) : setError("timeout: a whole number of seconds"))}>
          <Field label="Timeout (seconds)" value={timeout} onChange={setTimeoutText} inputMode="numeric" hint="Seconds to wait before killing it (-t)" />
        </ActionDialog>
      )}
      {open === "kill" && (
        <ActionDialog label={`Kill ${name}`} cli={cli.kill([name], signal)} onClose={close} submitLabel="Kill" danger busy={kill.isPending} error={error}
          onSubmit={() => kill.mutate({ env, id: c.Id, signal })}>
          <Field label="Signal" value={signal} onChange={setSignal} list="signals" hint="--signal, e.g. SIGTERM, SIGHUP, 9" />
          <datalist id="signals">
            {["SIGKILL", "SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"].map((x) => <option key={x} value={x} />)}
          </datalist>
        </ActionDialog>
      )}
      {open === "rename" && (
        <ActionDialog label={`Rename ${name}`} cli={cli.rename(name, newName)} onClose={close} submitLabel="Rename" busy={rename.isPending} error={error}
          onSubmit={() => rename.mutate({ env, id: c.Id, name: newName })}>
          <Field label="New name" value={newName} onChange={setNewName} required />
        </ActionDialog>
      )}
      {open === "remove" && (
        <ActionDialog label={`Remove ${name}`} cli={cli.remove([name], force, volumes)} onClose={close} submitLabel="Confirm remove" danger busy={remove.isPending} error={error}
          onSubmit={() => remove.mutate({ env, id: c.Id, force, volumes })}>
          <label>
            <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force (stop a running container first)
          </label>
          <label>
            <input type="checkbox" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} /> Remove anonymous volumes
          </label>
        </ActionDialog>
      )}
      {open === "recreate" && (
        <ActionDialog label={`Recreate ${name}`} cli={cli.recreate(name, c.Config.Image, pull)} onClose={close} submitLabel="Recreate" busy={recreate.isPending} error={error}
          onSubmit={() => recreate.mutate({ env, id: c.Id, pull })}>
          <p className="small">
            A new container with the same configuration, name, networks and static IPs replaces this one; anonymous volumes are kept.
          </p>
          <label>
            <input type="checkbox" checked={pull} onChange={(e) => setPull(e.target.checked)} /> Pull the image {c.Config.Image} first
          </label>
        </ActionDialog>
      )}
      {open === "update" && <UpdateDialog {...dialogProps} />}
      {open === "commit" && <CommitDialog {...dialogProps} />}
      {open === "connect" && <ConnectDialog {...dialogProps} />}
      {open === "disconnect" && <DisconnectDialog {...dialogProps} />}
    </div>
  );
}
