"use client";
/**
 * Deploy (a new stack) or Update (an existing one): the preflight runs first and
 * shows its checklist; a failed check blocks the deploy unless "Deploy anyway
 * (override)" is ticked (the dashboard audits the override). The deploy is a
 * task: its per-service progress shows here, and the stack's page is linked
 * once it ended.
 */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import type { PreflightResult } from "~/runtime/stacks/protocol";
import { envPath } from "~/app/_lib/env-path";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { PreflightChecklist } from "../preflight/preflight-checklist";
import { TaskProgress } from "../tasks/task-progress";
import { useTaskDetail } from "../tasks/use-tasks";
import { composeCli } from "./stack-cli";
import type { StackDraft } from "./stack-editor";

export function DeployPanel({ env, mode, name, draft, ready, notReady, onDone }: {
  env: string;
  mode: "create" | "update";
  name: string;
  draft: StackDraft;
  /** The file checked without problems (and, for a new stack, the name is valid). */
  ready: boolean;
  notReady?: string;
  onDone?: () => void;
}) {
  const trpc = useTRPC();
  const [preflight, setPreflight] = useState<{ key: string; result: PreflightResult }>();
  const [override, setOverride] = useState(false);
  const [pullAlways, setPullAlways] = useState(false);
  const [removeOrphans, setRemoveOrphans] = useState(false);
  const [forceRecreate, setForceRecreate] = useState(false);
  const [taskId, setTaskId] = useState<string>();
  const { task } = useTaskDetail(env, taskId);
  const key = JSON.stringify([name, draft.file, draft.dotenv]);
  const shown = preflight?.key === key ? preflight.result : undefined;

  const create = useMutation(trpc.stacks.create.mutationOptions({ onSuccess: (r) => setTaskId(r.taskId) }));
  const update = useMutation(trpc.stacks.update.mutationOptions({ onSuccess: (r) => setTaskId(r.taskId) }));
  const deploying = mode === "create" ? create : update;
  const deploy = (withOverride: boolean) => {
    const pull = pullAlways ? "always" as const : "missing" as const;
    if (mode === "create") create.mutate({ env, name, file: draft.file, dotenv: draft.dotenv, pull, override: withOverride });
    else update.mutate({ env, id: name, file: draft.file, dotenv: draft.dotenv, pull, override: withOverride, removeOrphans, forceRecreate });
  };
  const check = useMutation(trpc.stacks.preflight.mutationOptions({
    onSuccess: (result, vars) => {
      setPreflight({ key: JSON.stringify([name, vars.target.kind === "stack" ? vars.target.file : "", vars.target.kind === "stack" ? vars.target.env : ""]), result });
      if (result.ok) deploy(false);
    },
  }));
  const finished = task && task.state !== "running";
  useEffect(() => {
    if (finished) onDone?.();
    // Once per finished task.
  }, [finished]);

  const failed = shown ? !shown.ok : false;
  const busy = check.isPending || deploying.isPending || task?.state === "running";
  const submit = () => {
    setTaskId(undefined);
    deploying.reset();
    if (shown && failed) deploy(true);
    else check.mutate({ env, target: { kind: "stack", name, file: draft.file, env: draft.dotenv } });
  };
  const label = mode === "create" ? "Deploy the stack" : "Update the stack";
  const cli = composeCli(name, ["up", "-d", ...(pullAlways ? ["--pull", "always"] : []), ...(removeOrphans ? ["--remove-orphans"] : []), ...(forceRecreate ? ["--force-recreate"] : [])]);

  return (
    <section className="deploy-panel" aria-label={mode === "create" ? "Deploy" : "Update"}>
      <fieldset className="rows">
        <legend>Options</legend>
        <label className="check">
          <input type="checkbox" checked={pullAlways} onChange={(e) => setPullAlways(e.target.checked)} /> Re-pull images (pull policy always)
        </label>
        {mode === "update" && (
          <>
            <label className="check">
              <input type="checkbox" checked={removeOrphans} onChange={(e) => setRemoveOrphans(e.target.checked)} /> Remove orphans
            </label>
            <label className="check">
              <input type="checkbox" checked={forceRecreate} onChange={(e) => setForceRecreate(e.target.checked)} /> Force recreate
            </label>
          </>
        )}
      </fieldset>
      <div className="cli-line">
        <span className="muted small">CLI equivalent</span>
        <code data-testid="cli">{cli}</code>
      </div>
      {shown && <PreflightChecklist result={shown} />}
      {shown && failed && (
        <label className="check">
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Deploy anyway (override)
        </label>
      )}
      {check.error && <p role="alert" className="error">Preflight: {errorMessage(check.error)}</p>}
      {deploying.error && <p role="alert" className="error">{errorMessage(deploying.error)}</p>}
      {!ready && notReady && <p className="muted small">{notReady}</p>}
      {/* A new stack deploys once: afterwards it is updated from its own page. */}
      <div className="row" hidden={mode === "create" && !!taskId}>
        <button type="button" className="primary" disabled={!ready || busy || (failed && !override)} onClick={submit}>
          {check.isPending ? "Running the preflight…" : deploying.isPending ? "Deploying…" : label}
        </button>
      </div>
      {taskId && <TaskProgress env={env} taskId={taskId} />}
      {finished && (
        <p>
          <Link className="button" href={envPath(env, `/stacks/${encodeURIComponent(name)}`)}>Open the stack {name}</Link>
        </p>
      )}
    </section>
  );
}
