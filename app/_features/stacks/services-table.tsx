"use client";
/**
 * A stack's services (`docker-compose ps`, by service): image, replicas with a
 * Scale control (`docker-compose up -d --scale`), each container's state,
 * health and ports linking to its page, whether it runs the file's current
 * config (its config hash) or is out of date, and Restart per service.
 */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { StackContainer, StackServiceDetail } from "~/runtime/stacks/protocol";
import { envPath } from "~/app/_lib/env-path";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCan } from "~/app/_lib/use-can";
import { TaskProgress } from "../tasks/task-progress";
import { composeCli } from "./stack-cli";

const portText = (p: StackContainer["ports"][number]) =>
  p.hostPort ? `${p.hostIp && p.hostIp !== "0.0.0.0" ? `${p.hostIp}:` : ""}${p.hostPort}→${p.containerPort}/${p.protocol}` : `${p.containerPort}/${p.protocol}`;

function upToDate(s: StackServiceDetail, c: StackContainer): boolean | undefined {
  if (!s.configHash || !c.configHash) return undefined;
  return s.configHash === c.configHash;
}

function ScaleControl({ env, stack, service, onChanged }: { env: string; stack: string; service: StackServiceDetail; onChanged: () => void }) {
  const trpc = useTRPC();
  const [replicas, setReplicas] = useState(String(service.replicas));
  const [taskId, setTaskId] = useState<string>();
  const scale = useMutation(trpc.stacks.scale.mutationOptions({ onSuccess: (r) => (setTaskId(r.taskId), onChanged()) }));
  const n = Number(replicas);
  const valid = replicas.trim() !== "" && Number.isInteger(n) && n >= 0 && n <= 100;
  return (
    <div>
      <form className="row" onSubmit={(e) => (e.preventDefault(), valid && scale.mutate({ env, id: stack, service: service.name, replicas: n }))}>
        <input type="number" min={0} max={100} aria-label={`Replicas of ${service.name}`} value={replicas} style={{ width: "4.5rem" }}
          onChange={(e) => setReplicas(e.target.value)} aria-invalid={!valid || undefined} />
        <button type="submit" aria-label={`Scale ${service.name}`} title={composeCli(stack, ["up", "-d", "--scale", `${service.name}=${replicas}`])} disabled={!valid || scale.isPending}>
          Scale
        </button>
      </form>
      {scale.error && <p role="alert" className="error small">{errorMessage(scale.error)}</p>}
      {taskId && <TaskProgress env={env} taskId={taskId} showLines={false} />}
    </div>
  );
}

export function ServicesTable({ env, stack, services, onChanged }: { env: string; stack: string; services: StackServiceDetail[]; onChanged: () => void }) {
  const trpc = useTRPC();
  const can = useCan();
  const restart = useMutation(trpc.stacks.action.mutationOptions({ onSettled: onChanged }));
  return (
    <>
      {restart.error && <p role="alert" className="error">{errorMessage(restart.error)}</p>}
      <table className="table" aria-label="Services">
        <thead>
          <tr><th>Service</th><th>Image</th><th>Replicas</th><th>Containers</th><th><span className="sr-only">Actions</span></th></tr>
        </thead>
        <tbody>
          {services.length === 0 && <tr><td colSpan={5} className="muted">No services.</td></tr>}
          {services.map((s) => (
            <tr key={s.name} data-service={s.name}>
              <td>
                <strong>{s.name}</strong>
                {s.orphan && <span className="badge" title="Not in the file any more: Update with Remove orphans removes it">orphan</span>}
              </td>
              <td><code className="small">{s.image}</code></td>
              <td>
                {can("stack.operate") && !s.orphan ? <ScaleControl env={env} stack={stack} service={s} onChanged={onChanged} /> : s.replicas}
              </td>
              <td>
                {s.containers.length === 0 ? <span className="muted">none</span> : (
                  <ul className="plain" aria-label={`Containers of ${s.name}`}>
                    {s.containers.map((c) => {
                      const current = upToDate(s, c);
                      return (
                        <li key={c.id} data-container-id={c.id}>
                          <Link href={envPath(env, `/containers/${c.id}`)}>{c.name}</Link>{" "}
                          <span className={`state state-${c.state}`}>{c.state}</span>
                          {c.health && <span className="badge" title="Health check">{c.health}</span>}
                          {c.ports.length > 0 && <span className="small muted"> {c.ports.map(portText).join(", ")}</span>}
                          {current === true && <span className="badge ok" title="Runs the file's current config">up to date</span>}
                          {current === false && <span className="badge warn" title="Its config differs from the file's: Update recreates it">out of date</span>}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </td>
              <td>
                {can("stack.operate") && s.containers.length > 0 && (
                  <button type="button" aria-label={`Restart service ${s.name}`} title={composeCli(stack, ["restart", s.name])}
                    disabled={restart.isPending} onClick={() => restart.mutate({ env, id: stack, action: "restart", service: s.name })}>
                    Restart
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
