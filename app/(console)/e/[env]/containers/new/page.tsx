"use client";
/**
 * Create container: `docker run` as a form, in Docker's own words, with the command it
 * will run shown live, a box to paste a command into, and `?from=<id>` to start from an
 * existing container (Duplicate/Edit). Checked in the browser first (validateRunSpec and
 * the network's subnet), then by the runtime against the engine.
 */
import { useMutation, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useMemo, useState } from "react";
import { toDockerRun } from "~/runtime/run-spec/index";
import { CopyButton } from "~/app/_components/copy-button";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { AccessChoice, accessOf, type AccessChoiceValue } from "~/app/_features/containers/create/access-choice";
import { FormContext } from "~/app/_features/containers/create/form-kit";
import { PasteCommand } from "~/app/_features/containers/create/paste-command";
import { BaseSection, CommandSection, LabelsEnvSection } from "~/app/_features/containers/create/section-base";
import { HealthSection, LoggingSection, ResourcesSection, SecuritySection } from "~/app/_features/containers/create/section-limits";
import { NetworkSection, RestartSection } from "~/app/_features/containers/create/section-network";
import { PortsSection, StorageSection } from "~/app/_features/containers/create/section-storage";
import { CreateFailure } from "~/app/_features/containers/create/create-failure";
import { useCreateForm } from "~/app/_features/containers/create/use-create-form";
import { useDebounced } from "~/app/_lib/use-debounced";

/** A name for the copy that no container has yet. */
function freeName(name: string | undefined, taken: string[]): string | undefined {
  if (!name) return undefined;
  for (let i = 1; ; i++) {
    const candidate = `${name}-copy${i === 1 ? "" : `-${i}`}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

function CreateForm() {
  const trpc = useTRPC();
  const env = useEnv();
  const router = useRouter();
  const from = useSearchParams().get("from");
  // `?image=`: Run from an image's page, the form starts with that image.
  const imageParam = useSearchParams().get("image");
  const [createOnly, setCreateOnly] = useState(false);
  const [access, setAccess] = useState<AccessChoiceValue>({ access: "default", teamIds: [] });
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);

  const options = useQuery(trpc.containerCreate.options.queryOptions({ env }));
  const { data: containers } = useQuery(trpc.containers.list.queryOptions({ env }));
  const source = useQuery({ ...trpc.containerCreate.spec.queryOptions({ env, id: from ?? "-" }), enabled: !!from });
  const create = useMutation(trpc.containerCreate.create.mutationOptions());
  const networks = useMemo(() => options.data?.networks ?? [], [options.data]);
  const live = useMemo(() => containers ?? [], [containers]);
  const { api, spec, load, submit, version, serverError, setServerError, shown, isSubmitted } = useCreateForm({ networks, containers: live });
  const image = useDebounced(spec.image?.trim() ?? "", 400);
  const defaults = useQuery({ ...trpc.containerCreate.imageDefaults.queryOptions({ env, image }), enabled: image.length > 0, retry: false });

  useEffect(() => {
    if (!from || loadedFrom === from || !source.data || !options.data) return;
    setLoadedFrom(from);
    // Duplicate: same settings, a name that does not collide with the original.
    load({ ...source.data, name: freeName(source.data.name, options.data.containers) });
  }, [from, loadedFrom, source.data, options.data, load]);

  useEffect(() => {
    if (from || !imageParam || loadedFrom === `image:${imageParam}`) return;
    setLoadedFrom(`image:${imageParam}`);
    load({ image: imageParam });
  }, [from, imageParam, loadedFrom, load]);

  const preview = useMemo(() => {
    try {
      return toDockerRun(spec, { multiline: true, subcommand: createOnly ? "create" : "run" });
    } catch {
      return "(the command cannot be shown until the form's values are valid)";
    }
  }, [spec, createOnly]);

  const onCreate = () =>
    submit((valid) =>
      create.mutate(
        { env, spec: valid as Record<string, unknown>, createOnly, ...accessOf(access) },
        {
          onSuccess: (r) => router.push(envPath(env, `/containers/${r.id}`)),
          onError: (err) => {
            const data = (err instanceof TRPCClientError ? err.data : undefined) as { field?: string; containerId?: string; created?: boolean } | undefined;
            setServerError({ message: errorMessage(err), field: data?.field, containerId: data?.containerId, created: data?.created });
          },
        },
      ),
    );

  return (
    <FormContext.Provider value={api}>
      <section aria-labelledby="create-title" className="create-page">
        <div className="page-head">
          <h1 id="create-title">{from ? "Duplicate container" : "Create container"}</h1>
          <Link href={envPath(env, "/containers")}>Back to containers</Link>
        </div>
        {from && source.error && <p className="error" role="alert">{errorMessage(source.error)}</p>}
        {from && source.data && <p className="muted">Pre-filled from container {source.data.name ?? from}; the name was changed so it does not collide.</p>}
        <PasteCommand onFill={load} />
        <form
          className="create-form"
          aria-label="Create container"
          onSubmit={(e) => {
            e.preventDefault();
            onCreate();
          }}
        >
          <div key={version} className="create-sections">
            <BaseSection defaults={defaults.data} loading={defaults.isFetching} images={options.data?.images ?? []} />
            {defaults.error && <p className="error small">{errorMessage(defaults.error)}</p>}
            <CommandSection defaults={defaults.data} />
            <LabelsEnvSection defaults={defaults.data} />
            <PortsSection defaults={defaults.data} />
            <StorageSection volumes={options.data?.volumes ?? []} />
            <NetworkSection networks={networks} />
            <RestartSection />
            <ResourcesSection />
            <SecuritySection />
            <LoggingSection />
            <HealthSection />
          </div>
          <aside className="card command-preview" aria-labelledby="preview-title">
            <div className="row spread">
              <h2 id="preview-title">Command</h2>
              <CopyButton text={preview} label="Copy command" />
            </div>
            <pre className="command" data-testid="command-preview">{preview}</pre>
            {isSubmitted && shown.length > 0 && (
              <ul className="error small" aria-label="Fix these first" data-testid="form-errors">
                {shown.map((m, i) => <li key={i}>{m}</li>)}
              </ul>
            )}
            {serverError && <CreateFailure error={serverError} onRemoved={() => setServerError(null)} />}
            <AccessChoice env={env} value={access} onChange={setAccess} />
            <label className="check">
              <input type="checkbox" checked={createOnly} onChange={(e) => setCreateOnly(e.target.checked)} />
              <span>Create only (do not start)</span>
            </label>
            <button type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create"}
            </button>
          </aside>
        </form>
      </section>
    </FormContext.Provider>
  );
}

export default function NewContainerPage() {
  return (
    <Suspense fallback={<p className="muted">Loading…</p>}>
      <CreateForm />
    </Suspense>
  );
}
