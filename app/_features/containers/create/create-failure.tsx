"use client";
/** What went wrong on Create, with the way out: open the container that holds the name, or the one created but not started (or remove it). */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";

export interface ServerError {
  message: string;
  field?: string;
  /** The container that holds the name, or the one created but not started. */
  containerId?: string;
  created?: boolean;
}

export function CreateFailure({ error, onRemoved }: { error: ServerError; onRemoved: () => void }) {
  const trpc = useTRPC();
  const env = useEnv();
  const remove = useMutation(trpc.containers.remove.mutationOptions());
  const id = error.containerId;
  return (
    <div className="create-failure" role="alert" data-testid="create-error">
      <p className="error">{error.message}</p>
      {id && error.created && (
        <div className="row">
          <Link className="button" href={envPath(env, `/containers/${id}`)}>
            Open the created container
          </Link>
          <button
            type="button"
            className="danger"
            disabled={remove.isPending}
            onClick={() => remove.mutate({ env, id, force: true, volumes: false }, { onSuccess: onRemoved })}
          >
            Remove it
          </button>
        </div>
      )}
      {id && !error.created && (
        <Link className="button" href={envPath(env, `/containers/${id}`)}>
          Open the container that has this name
        </Link>
      )}
      {remove.error && <p className="error small">{errorMessage(remove.error)}</p>}
    </div>
  );
}
