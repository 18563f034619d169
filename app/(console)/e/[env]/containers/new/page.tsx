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
import { type FieldError, type RunSpec, toDockerRun, validateRunSpec } from "../../../../../../runtime/run-spec/index";
import { CopyButton } from "../../../../../_components/copy-button";
import { errorMessage, useTRPC } from "../../../../../_lib/trpc";
import { FormContext, type FormApi } from "../../../../../_features/containers/create/form-kit";
import { PasteCommand } from "../../../../../_features/containers/create/paste-command";
import { BaseSection, CommandSection, LabelsEnvSection } from "../../../../../_features/containers/create/section-base";
import { HealthSection, LoggingSection, ResourcesSection, SecuritySection } from "../../../../../_features/containers/create/section-limits";
import { NetworkSection, RestartSection } from "../../../../../_features/containers/create/section-network";
import { PortsSection, StorageSection } from "../../../../../_features/containers/create/section-storage";
import { CreateFailure, type ServerError } from "../../../../../_features/containers/create/create-failure";
import { heldPortErrors, subnetError } from "../../../../../_features/containers/create/engine-checks";
import { useDebounced } from "../../../../../_lib/use-debounced";

const top = (field: string) => field.split(/[.[]/)[0];

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
  const router = useRouter();
  const from = useSearchParams().get("from");
  const [spec, setSpec] = useState<RunSpec>({ image: "", detach: true });
  const [version, setVersion] = useState(0);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [createOnly, setCreateOnly] = useState(false);
  const [serverError, setServerError] = useState<ServerError | null>(null);
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);

  const options = useQuery(trpc.containerCreate.options.queryOptions({}));
  const { data: containers } = useQuery(trpc.containers.list.queryOptions());
  const source = useQuery({ ...trpc.containerCreate.spec.queryOptions({ id: from ?? "-" }), enabled: !!from });
  const image = useDebounced(spec.image?.trim() ?? "", 400);
  const defaults = useQuery({ ...trpc.containerCreate.imageDefaults.queryOptions({ image }), enabled: image.length > 0, retry: false });
  const create = useMutation(trpc.containerCreate.create.mutationOptions());

  const load = (next: RunSpec) => {
    setSpec(next);
    setVersion((v) => v + 1);
    setTouched(new Set(Object.keys(next)));
    setLocal({});
    setServerError(null);
  };
  useEffect(() => {
    if (!from || loadedFrom === from || !source.data || !options.data) return;
    setLoadedFrom(from);
    // Duplicate: same settings, a name that does not collide with the original.
    load({ ...source.data, name: freeName(source.data.name, options.data.containers) });
  }, [from, loadedFrom, source.data, options.data]);

  const errors: FieldError[] = useMemo(() => {
    const v = validateRunSpec(spec);
    const list = v.ok ? [] : [...v.errors];
    const subnet = subnetError(spec, options.data?.networks ?? []);
    if (subnet) list.push(subnet);
    list.push(...heldPortErrors(spec, containers ?? []));
    for (const [field, message] of Object.entries(local)) list.push({ field, message });
    return list;
  }, [spec, local, options.data, containers]);
  const shown = errors.filter((e) => submitted || touched.has(top(e.field)));

  const api: FormApi = {
    spec,
    set: (key, value) => {
      setSpec((s) => {
        const next = { ...s } as Record<string, unknown>;
        if (value === undefined) delete next[key];
        else next[key] = value;
        return next as RunSpec;
      });
      setTouched((t) => (t.has(key) ? t : new Set(t).add(key)));
      setServerError((e) => (e && e.field && top(e.field) === key ? null : e));
    },
    err: (field) => {
      const mine = shown.filter((e) => e.field === field).map((e) => e.message);
      if (serverError?.field === field) mine.push(serverError.message);
      return mine.length ? mine.join("; ") : undefined;
    },
    errUnder: (prefix) =>
      shown.filter((e) => e.field === prefix || e.field.startsWith(`${prefix}[`) || e.field.startsWith(`${prefix}.`)).map((e) => e.message),
    setLocal: (field, message) =>
      setLocal((l) => {
        if (l[field] === message) return l;
        const next = { ...l };
        if (message === undefined) delete next[field];
        else next[field] = message;
        return next;
      }),
  };

  const preview = useMemo(() => {
    try {
      return toDockerRun(spec, { multiline: true, subcommand: createOnly ? "create" : "run" });
    } catch {
      return "(the command cannot be shown until the form's values are valid)";
    }
  }, [spec, createOnly]);

  const submit = () => {
    setSubmitted(true);
    setServerError(null);
    if (errors.length > 0) return;
    create.mutate(
      { spec: spec as Record<string, unknown>, createOnly },
      {
        onSuccess: (r) => router.push(`/containers/${r.id}`),
        onError: (err) => {
          const data = (err instanceof TRPCClientError ? err.data : undefined) as { field?: string; containerId?: string; created?: boolean } | undefined;
          setServerError({ message: errorMessage(err), field: data?.field, containerId: data?.containerId, created: data?.created });
        },
      },
    );
  };

  const networks = options.data?.networks ?? [];
  return (
    <FormContext.Provider value={api}>
      <section aria-labelledby="create-title" className="create-page">
        <div className="page-head">
          <h1 id="create-title">{from ? "Duplicate container" : "Create container"}</h1>
          <Link href="/containers">Back to containers</Link>
        </div>
        {from && source.error && <p className="error" role="alert">{errorMessage(source.error)}</p>}
        {from && source.data && <p className="muted">Pre-filled from container {source.data.name ?? from}; the name was changed so it does not collide.</p>}
        <PasteCommand onFill={load} />
        <form
          className="create-form"
          aria-label="Create container"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
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
            {submitted && shown.length > 0 && (
              <ul className="error small" aria-label="Fix these first" data-testid="form-errors">
                {shown.map((e, i) => <li key={i}>{e.message}</li>)}
              </ul>
            )}
            {serverError && <CreateFailure error={serverError} onRemoved={() => setServerError(null)} />}
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
