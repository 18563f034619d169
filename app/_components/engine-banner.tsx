"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_lib/trpc";
import { useLiveState } from "../_lib/live";

/** Shown on every page while the engine of `env` (or the runtime) cannot be reached. */
export function EngineBanner({ env }: { env: string }) {
  const trpc = useTRPC();
  const { data: engine } = useQuery(trpc.engine.status.queryOptions({ env }));
  const live = useLiveState();
  return (
    <>
      {engine && !engine.reachable && (
        <div role="alert" className="banner banner-error" data-testid="engine-unreachable">
          <strong>Engine unreachable</strong>
          <span>{engine.reason ?? "The Docker engine does not answer."}</span>
          <span className="muted">({engine.dockerHost}) Berth retries by itself.</span>
        </div>
      )}
      {live === "closed" && (
        <div role="status" className="banner banner-warn">
          Live updates disconnected; reconnecting…
        </div>
      )}
    </>
  );
}
