"use client";
/** The `docker run` command that recreates a container (from its inspect), with a copy button and what it cannot say. */
import { useQuery } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "../_lib/trpc";
import { useEnv } from "../_lib/use-env";
import { CopyButton } from "./copy-button";

export function RunCommand({ containerId }: { containerId: string }) {
  const trpc = useTRPC();
  const env = useEnv();
  const { data, error, isLoading } = useQuery(trpc.containerCreate.runCommand.queryOptions({ env, id: containerId }));
  return (
    <section className="card run-command" aria-labelledby={`run-command-${containerId}`}>
      <div className="row spread">
        <h2 id={`run-command-${containerId}`}>docker run command</h2>
        {data && <CopyButton text={data.multiline} label="Copy command" />}
      </div>
      {isLoading ? (
        <p className="muted">Reading the container…</p>
      ) : error ? (
        <p className="error" role="alert">{errorMessage(error)}</p>
      ) : data ? (
        <>
          <pre className="command" data-testid="run-command">{data.multiline}</pre>
          <p className="muted small">Recreates this container: what came from the image&apos;s defaults and the engine&apos;s is left out.</p>
          {data.caveats.length > 0 && (
            <ul className="small" aria-label="What the command cannot say exactly">
              {data.caveats.map((c) => <li key={c}>{c}</li>)}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
