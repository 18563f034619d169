"use client";
/**
 * "Pull image" (`docker pull`): a button that opens a dialog asking for
 * `name[:tag|@digest]`, starts the pull as a task and shows its per-layer
 * progress live. Closing the dialog does not stop the pull: it goes on and
 * stays in the Tasks panel. The Images page places it.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { parseImageReference } from "~/runtime/run-spec/image-reference";
import { Field } from "../../_components/field";
import { useTRPC } from "../../_lib/trpc";
import { useCanIn } from "../../_lib/use-can";
import { SearchHub } from "./search-hub";
import { TaskProgress } from "./task-progress";

/** The client's check of what the server checks again: a reference a pull accepts. */
export function pullReferenceProblem(value: string): string | undefined {
  const v = value.trim();
  if (v === "") return "Image is required";
  const r = parseImageReference(v);
  if (!r.ok) return r.error;
  if (r.ref.id) return "an image id cannot be pulled: give a name, e.g. nginx:latest";
  return undefined;
}

export function PullImageButton({ env, initial }: { env: string; initial?: string }) {
  const can = useCanIn(env);
  const [open, setOpen] = useState(false);
  if (!can("image.pull")) return null;
  return (
    <>
      <button type="button" className="primary" onClick={() => setOpen(true)}>
        Pull image
      </button>
      {open && <PullDialog env={env} initial={initial} onClose={() => setOpen(false)} />}
    </>
  );
}

function PullDialog({ env, initial, onClose }: { env: string; initial?: string; onClose: () => void }) {
  const trpc = useTRPC();
  const [reference, setReference] = useState(initial ?? "");
  const [touched, setTouched] = useState(false);
  const [taskId, setTaskId] = useState<string>();
  const pull = useMutation(trpc.imageTransfer.pull.mutationOptions({ onSuccess: (r) => setTaskId(r.taskId) }));
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    ref.current?.querySelector<HTMLElement>("input")?.focus();
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const problem = pullReferenceProblem(reference);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem || pull.isPending) return;
    pull.mutate({ env, reference: reference.trim() });
  };
  const again = () => {
    setTaskId(undefined);
    setReference("");
    setTouched(false);
    pull.reset();
  };
  return (
    <div className="overlay">
      <form ref={ref} role="dialog" aria-modal="true" aria-label="Pull image" className="dialog" onSubmit={submit}>
        <h2>Pull image</h2>
        {taskId ? (
          <TaskProgress env={env} taskId={taskId} />
        ) : (
          <>
            <Field
              label="Image"
              value={reference}
              onChange={setReference}
              placeholder="nginx:latest"
              autoComplete="off"
              spellCheck={false}
              hint="name[:tag|@digest]; without a tag, latest. Credentials of a registry added under Registries are used."
              error={touched ? problem : undefined}
            />
            <SearchHub env={env} onPick={(name) => setReference(name)} />
            <div className="cli-line">
              <span className="muted small">CLI equivalent</span>
              <code data-testid="cli">docker pull {reference.trim() || "<image>"}</code>
            </div>
          </>
        )}
        {pull.error && (
          <p role="alert" className="error small">
            {pull.error.message}
          </p>
        )}
        <div className="row">
          {taskId ? (
            <button type="button" onClick={again}>
              Pull another
            </button>
          ) : (
            <button type="submit" className="primary" disabled={pull.isPending}>
              {pull.isPending ? "Starting…" : "Pull"}
            </button>
          )}
          <button type="button" onClick={onClose}>
            {taskId ? "Close" : "Cancel"}
          </button>
        </div>
      </form>
    </div>
  );
}
