"use client";
/**
 * Deploy a template: its name, its variables, and for a container template its
 * ports, volumes and access control. Check renders the template with these
 * values and runs the preflight; a failed check keeps Deploy disabled unless
 * "Deploy anyway (override)" is ticked (the server audits the override). Any
 * change to the values asks for a new Check.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import type { PreflightResult } from "~/runtime/stacks/protocol";
import type { AppTemplate } from "~/server/templates/types";
import { errorMessage, useTRPC, useTRPCClient } from "~/app/_lib/trpc";
import { AccessChoice, accessOf, type AccessChoiceValue } from "~/app/_features/containers/create/access-choice";
import { PreflightChecklist } from "~/app/_features/preflight/preflight-checklist";
import { ContainerDeployed, StackDeploying } from "./deploy-result";
import { PortRows, VariableFields, VolumeRows } from "./template-fields";
import { initialEnv, initialVolumes, parsePort, suggestedName, toValues, type PortRow, type VolumeRow } from "./template-form-model";

type Deployed = { kind: "container"; id: string; name: string; ports: { hostIp?: string; hostPort: number; containerPort: number }[] } | { kind: "stack"; name: string; taskId: string };

export function DeployForm({ env, template }: { env: string; template: AppTemplate & { stackFile?: string } }) {
  const trpc = useTRPC();
  const isStack = template.type === "stack";
  const [name, setName] = useState(() => suggestedName(template));
  const [vars, setVars] = useState(() => initialEnv(template));
  const [ports, setPorts] = useState<PortRow[]>(() => template.ports.map(parsePort));
  const [volumes, setVolumes] = useState<VolumeRow[]>(() => initialVolumes(template));
  const [access, setAccess] = useState<AccessChoiceValue>({ access: "default", teamIds: [] });
  const [override, setOverride] = useState(false);
  const [preflight, setPreflight] = useState<PreflightResult>();
  const [error, setError] = useState<string>();
  const [deployed, setDeployed] = useState<Deployed>();

  const values = useMemo(() => toValues({ name, env: vars, ...(isStack ? {} : { ports, volumes }) }), [name, vars, ports, volumes, isStack]);
  // A preflight answers for the values it checked: any edit asks for a new one.
  useEffect(() => {
    setPreflight(undefined);
    setOverride(false);
  }, [values]);

  const client = useTRPCClient();
  // The render is a query, asked for on Check only (with the values as they are then).
  const render = useMutation({ mutationFn: () => client.templates.render.query({ env, id: template.id, values }) });
  const check = useMutation(trpc.stacks.preflight.mutationOptions());
  const deployContainer = useMutation(trpc.templates.deployContainer.mutationOptions());
  const deployStack = useMutation(trpc.templates.deployStack.mutationOptions());
  const busy = render.isPending || check.isPending || deployContainer.isPending || deployStack.isPending;

  async function runCheck() {
    setError(undefined);
    try {
      const r = await render.mutateAsync();
      const target = r.kind === "container" ? { kind: "container" as const, spec: r.spec } : { kind: "stack" as const, name: r.name, file: r.file, env: r.env };
      setPreflight(await check.mutateAsync({ env, target }));
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  async function deploy() {
    setError(undefined);
    try {
      const input = { env, id: template.id, values, ...accessOf(access), override };
      if (isStack) {
        const r = await deployStack.mutateAsync(input);
        setDeployed({ kind: "stack", name: r.name, taskId: r.taskId });
      } else {
        const r = await deployContainer.mutateAsync(input);
        setDeployed({ kind: "container", id: r.id, name: r.name, ports: r.ports });
      }
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (deployed) {
    return deployed.kind === "container" ? <ContainerDeployed env={env} result={deployed} /> : <StackDeploying env={env} name={deployed.name} taskId={deployed.taskId} />;
  }

  const failed = !!preflight && !preflight.ok;
  const canDeploy = !!preflight && (preflight.ok || override) && !busy;
  return (
    <form
      aria-label={`Deploy ${template.title}`}
      data-template-id={template.id}
      className="create-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (canDeploy) void deploy();
        else void runCheck();
      }}
    >
      {template.note && <p className="small muted template-note">{template.note}</p>}
      <div className="field">
        <label htmlFor="template-name">Name</label>
        <input id="template-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={63} aria-describedby="template-name-hint" />
        <small id="template-name-hint" className="muted">{isStack ? "The stack's (compose project's) name" : "The container's name"}</small>
      </div>
      <VariableFields vars={template.env} values={vars} onChange={setVars} />
      {!isStack && <PortRows rows={ports} onChange={setPorts} />}
      {!isStack && <VolumeRows rows={volumes} onChange={setVolumes} />}
      <fieldset className="form-section">
        <legend>Access control</legend>
        <AccessChoice env={env} value={access} onChange={setAccess} />
      </fieldset>
      {isStack && template.stackFile && (
        <details>
          <summary>Compose file</summary>
          <pre className="small" aria-label="Template compose file">{template.stackFile}</pre>
        </details>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {preflight && <PreflightChecklist result={preflight} />}
      {failed && (
        <label className="check">
          <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Deploy anyway (override)
        </label>
      )}
      <div className="row">
        <button type="button" onClick={() => void runCheck()} disabled={busy || !name.trim()}>
          {render.isPending || check.isPending ? "Checking…" : "Check"}
        </button>
        <button type="button" className="primary" onClick={() => void deploy()} disabled={!canDeploy} title={preflight ? undefined : "Check first"}>
          {deployContainer.isPending || deployStack.isPending ? "Deploying…" : "Deploy"}
        </button>
      </div>
    </form>
  );
}
