"use client";
/**
 * "Save as template" for a stack's page: the stack's compose file (and its
 * .env's variables as the template's variables) saved as a custom template.
 * `<SaveStackAsTemplate env={env} stack={name} />`; shown only to those who may
 * manage templates.
 */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useCanIn } from "~/app/_lib/use-can";

export function SaveStackAsTemplate({ env, stack }: { env: string; stack: string }) {
  const trpc = useTRPC();
  const can = useCanIn(env);
  const save = useMutation(trpc.templates.customFromStack.mutationOptions());
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(stack);
  const [description, setDescription] = useState("");
  if (!can("template.manage")) return null;
  if (save.data) {
    return (
      <p role="status" className="ok small">
        Saved as the custom template{" "}
        <Link href={envPath(env, `/templates/custom/edit?id=${encodeURIComponent(save.data.id)}`)}>{title}</Link>.
      </p>
    );
  }
  if (!open) {
    return (
      <button type="button" onClick={() => setOpen(true)}>
        Save as template
      </button>
    );
  }
  return (
    <form
      aria-label="Save as template"
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ env, stack, title, description });
      }}
    >
      <input aria-label="Template title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      <input aria-label="Template description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} placeholder="Description" />
      <button type="submit" className="primary" disabled={save.isPending}>
        {save.isPending ? "Saving…" : "Save template"}
      </button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      {save.error && <span role="alert" className="error">{errorMessage(save.error)}</span>}
    </form>
  );
}
