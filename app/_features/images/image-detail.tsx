"use client";
/**
 * One image (`docker image inspect` + `docker history`): tags, id, digests,
 * size, created, platform, Cmd, Entrypoint, env, ports, volumes, labels,
 * working dir, user, the layers' history and the containers using it; actions
 * Run, Tag, Push, Save and Remove.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import type { ImageDetail } from "~/runtime/images/protocol";
import { ActionDialog } from "~/app/_components/dialog";
import { envPath } from "~/app/_lib/env-path";
import { formatBytes, timeAgo } from "~/app/_lib/format";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useCanIn } from "~/app/_lib/use-can";
import { TaskProgress } from "../tasks/task-progress";
import { ImageBadges, shortId } from "./images-table";
import { RemoveImageDialog } from "./remove-dialog";
import { TagImageDialog } from "./tag-dialog";
import { saveUrl } from "./upload";
import { useObjectEvents } from "~/app/_lib/use-object-events";

const json = (v: string[] | null) => (v === null ? <span className="muted">(none)</span> : <code>{JSON.stringify(v)}</code>);

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function ImageDetailView({ env, id }: { env: string; id: string }) {
  const trpc = useTRPC();
  const image = useQuery({ ...trpc.images.inspect.queryOptions({ env, id }), retry: false });
  useObjectEvents(env, "image", () => void image.refetch());
  if (image.error) return <p className="error" role="alert">{errorMessage(image.error)}</p>;
  if (!image.data) return <p className="muted">Loading…</p>;
  return <Loaded env={env} image={image.data} />;
}

function Loaded({ env, image: i }: { env: string; image: ImageDetail }) {
  const can = useCanIn(env);
  const router = useRouter();
  const [dialog, setDialog] = useState<"tag" | "remove" | "push">();
  const name = i.tags[0] ?? shortId(i.id);
  return (
    <section aria-labelledby="image-title">
      <div className="page-head">
        <h1 id="image-title">
          Image {name} <ImageBadges image={{ unused: i.containers.length === 0, dangling: i.tags.length === 0 }} />
        </h1>
        <div className="page-actions">
          {can("container.create") && (
            <Link className="button primary" href={envPath(env, `/containers/new?image=${encodeURIComponent(i.tags[0] ?? i.id)}`)} title={`docker run ${name}`}>
              Run
            </Link>
          )}
          {can("image.tag") && <button type="button" onClick={() => setDialog("tag")}>Tag</button>}
          {can("image.push") && i.tags.length > 0 && <button type="button" onClick={() => setDialog("push")}>Push</button>}
          {can("image.save") && (
            <a className="button" href={saveUrl(env, [i.tags[0] ?? i.id])} download title={`docker save ${name}`}>
              Save
            </a>
          )}
          {can("image.remove") && <button type="button" className="danger" onClick={() => setDialog("remove")}>Remove</button>}
        </div>
      </div>
      <dl className="facts" aria-label="Image facts">
        <Fact label="Tags">{i.tags.length ? i.tags.join(", ") : <span className="muted">&lt;none&gt;</span>}</Fact>
        <Fact label="ID"><code>{i.id}</code></Fact>
        <Fact label="Digests">{i.digests.length ? i.digests.map((d) => <div key={d}><code>{d}</code></div>) : <span className="muted">(none: never pushed or pulled)</span>}</Fact>
        <Fact label="Size">{formatBytes(i.size)}</Fact>
        <Fact label="Created"><span title={i.created}>{timeAgo(Date.parse(i.created) / 1000)}</span></Fact>
        <Fact label="Platform">{[i.os, i.architecture, i.variant].filter(Boolean).join("/")}</Fact>
        <Fact label="Cmd">{json(i.cmd)}</Fact>
        <Fact label="Entrypoint">{json(i.entrypoint)}</Fact>
        <Fact label="Env">{i.env.length ? i.env.map((e) => <div key={e}><code>{e}</code></div>) : <span className="muted">(none)</span>}</Fact>
        <Fact label="Exposed ports">{i.exposedPorts.join(", ") || <span className="muted">(none)</span>}</Fact>
        <Fact label="Volumes">{i.volumes.join(", ") || <span className="muted">(none)</span>}</Fact>
        <Fact label="Labels">
          {Object.keys(i.labels).length ? Object.entries(i.labels).map(([k, v]) => <div key={k}><code>{k}={v}</code></div>) : <span className="muted">(none)</span>}
        </Fact>
        <Fact label="Working dir">{i.workingDir || <span className="muted">/</span>}</Fact>
        <Fact label="User">{i.user || <span className="muted">root (default)</span>}</Fact>
        {i.author && <Fact label="Author">{i.author}</Fact>}
        {i.comment && <Fact label="Comment">{i.comment}</Fact>}
      </dl>

      <h2>Containers using it</h2>
      {i.containers.length === 0 ? (
        <p className="muted">None: this image is unused.</p>
      ) : (
        <ul aria-label="Containers using this image">
          {i.containers.map((c) => (
            <li key={c.id}>
              <Link href={envPath(env, `/containers/${c.id}`)}>{c.name}</Link> <span className={`state state-${c.state}`}>{c.state}</span>
            </li>
          ))}
        </ul>
      )}

      <h2>History</h2>
      <table className="table" aria-label="History">
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Created</th>
            <th scope="col">Created by</th>
            <th scope="col">Size</th>
          </tr>
        </thead>
        <tbody>
          {i.history.map((h, n) => (
            <tr key={`${h.id}-${n}`}>
              <td><code>{h.id === "<missing>" ? "<missing>" : shortId(h.id)}</code></td>
              <td>{timeAgo(h.created)}</td>
              <td><code className="created-by">{h.createdBy.replace(/^\/bin\/sh -c #\(nop\)\s+/, "")}</code></td>
              <td>{formatBytes(h.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {dialog === "tag" && <TagImageDialog env={env} image={i} onClose={() => setDialog(undefined)} />}
      {dialog === "push" && <PushDialog env={env} tags={i.tags} onClose={() => setDialog(undefined)} />}
      {dialog === "remove" && (
        <RemoveImageDialog env={env} image={i} onClose={() => setDialog(undefined)} onRemoved={(gone) => gone && router.push(envPath(env, "/images"))} />
      )}
    </section>
  );
}

/** `docker push repo:tag`, as a task whose per-layer progress shows here (and in the Tasks panel). */
function PushDialog({ env, tags, onClose }: { env: string; tags: string[]; onClose: () => void }) {
  const trpc = useTRPC();
  const [reference, setReference] = useState(tags[0]!);
  const [taskId, setTaskId] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const push = useMutation(trpc.imageTransfer.push.mutationOptions({ onError: (e) => setError(errorMessage(e)), onSuccess: (r) => setTaskId(r.taskId) }));
  return (
    <ActionDialog
      label="Push image"
      cli={`docker push ${reference}`}
      onClose={onClose}
      onSubmit={() => (taskId ? onClose() : push.mutate({ env, reference }))}
      submitLabel={taskId ? "Close" : "Push"}
      busy={push.isPending}
      error={error}
    >
      <label>
        Tag to push{" "}
        <select aria-label="Tag to push" value={reference} onChange={(e) => setReference(e.target.value)} disabled={!!taskId}>
          {tags.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </label>
      {taskId && <TaskProgress env={env} taskId={taskId} />}
    </ActionDialog>
  );
}
