"use client";
/**
 * What a template deploy made: the container with an Open link per published
 * port, or the stack's task (per-service progress) and, once it succeeded, a
 * link to the stack's page and Open links for the ports its containers publish.
 */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { TaskProgress } from "~/app/_features/tasks/task-progress";
import { useTaskDetail } from "~/app/_features/tasks/use-tasks";
import { openUrl } from "./template-form-model";

interface Published {
  hostIp?: string;
  hostPort?: number;
  containerPort: number;
}

export function OpenLinks({ ports }: { ports: Published[] }) {
  const [browserHost, setBrowserHost] = useState("localhost");
  useEffect(() => setBrowserHost(window.location.hostname), []);
  const open = ports.filter((p): p is Published & { hostPort: number } => !!p.hostPort);
  if (open.length === 0) return <p className="small muted">No published port to open.</p>;
  return (
    <ul aria-label="Published ports" className="open-links">
      {open.map((p) => {
        const url = openUrl(p.hostIp, p.hostPort, browserHost);
        return (
          <li key={`${p.hostIp ?? ""}:${p.hostPort}`}>
            <a href={url} target="_blank" rel="noreferrer noopener" aria-label={`Open ${url}`} className="button-link primary">
              Open
            </a>{" "}
            <code className="small">{url}</code> <span className="small muted">(container port {p.containerPort})</span>
          </li>
        );
      })}
    </ul>
  );
}

export function ContainerDeployed({ env, result }: { env: string; result: { id: string; name: string; ports: Published[] } }) {
  return (
    <section className="card" aria-label="Deployed">
      <p role="status" className="ok">
        Container <Link href={envPath(env, `/containers/${encodeURIComponent(result.id)}`)}>{result.name}</Link> is running.
      </p>
      <OpenLinks ports={result.ports} />
    </section>
  );
}

export function StackDeploying({ env, name, taskId }: { env: string; name: string; taskId: string }) {
  const trpc = useTRPC();
  const { task } = useTaskDetail(env, taskId);
  const done = task?.state === "succeeded";
  const stack = useQuery({ ...trpc.stacks.get.queryOptions({ env, id: name }), enabled: done });
  const ports = (stack.data?.services ?? []).flatMap((s) => s.containers.flatMap((c) => c.ports));
  return (
    <section className="card" aria-label="Deployed">
      <TaskProgress env={env} taskId={taskId} />
      {done && (
        <>
          <p role="status" className="ok">
            Stack <Link href={envPath(env, `/stacks/${encodeURIComponent(name)}`)} aria-label={`Stack ${name}`}>{name}</Link> is deployed.
          </p>
          <OpenLinks ports={ports} />
        </>
      )}
    </section>
  );
}
