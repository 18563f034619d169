/**
 * One container of a service: its name (`PROJECT-SERVICE-N` or container_name),
 * its create request (the service's RunSpec through toCreateRequest, on its
 * first network with compose's aliases, the further networks connected before
 * start) and compose's labels plus Berth's access label; and the waits that
 * depends_on conditions need (healthy, completed successfully).
 */
import type Docker from "dockerode";
import { configHash } from "../compose/config-hash";
import { COMPOSE_LABELS, COMPOSE_VERSION, type ComposeProject, type ComposeService } from "../compose/model";
import { engineCall, RuntimeFailure } from "../engine/errors";
import { BERTH_ACCESS_LABEL } from "../protocol/berth-labels";
import type { RunSpec } from "../run-spec/schema";
import { toCreateRequest } from "../run-spec/to-engine";
import { parseDuration } from "../run-spec/units";

export interface ContainerContext {
  project: ComposeProject;
  workingDir: string;
  configFile: string;
  envFile: string;
  controlId?: string;
  /** service → the id of its first container, for `network_mode: service:NAME`. */
  firstContainer: (service: string) => string | undefined;
}

export const containerName = (project: string, s: ComposeService, n: number) => s.containerName ?? `${project}-${s.name}-${n}`;

export function composeLabels(ctx: ContainerContext, s: ComposeService, n: number): Record<string, string> {
  const labels: Record<string, string> = { ...s.spec.labels };
  // The access label is Berth's alone: a file cannot give its containers to another owner.
  delete labels[BERTH_ACCESS_LABEL];
  Object.assign(labels, {
    [COMPOSE_LABELS.project]: ctx.project.name,
    [COMPOSE_LABELS.service]: s.name,
    [COMPOSE_LABELS.number]: String(n),
    [COMPOSE_LABELS.oneoff]: "False",
    [COMPOSE_LABELS.configHash]: configHash(s),
    [COMPOSE_LABELS.workingDir]: ctx.workingDir,
    [COMPOSE_LABELS.configFiles]: ctx.configFile,
    [COMPOSE_LABELS.environmentFile]: ctx.envFile,
    [COMPOSE_LABELS.version]: COMPOSE_VERSION,
  });
  if (ctx.controlId) labels[BERTH_ACCESS_LABEL] = ctx.controlId;
  return labels;
}

/** Creates container number `n` of the service and connects its further networks; not started. */
export async function createServiceContainer(docker: Docker, ctx: ContainerContext, s: ComposeService, n: number): Promise<string> {
  const name = containerName(ctx.project.name, s, n);
  const [first, ...rest] = s.networks;
  const spec: RunSpec = { ...s.spec, name, detach: true, labels: composeLabels(ctx, s, n) };
  if (s.networkMode) {
    const shared = /^service:(.+)$/.exec(s.networkMode)?.[1];
    if (shared) {
      const id = ctx.firstContainer(shared);
      if (!id) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "file", message: `network_mode: service:${shared} has no container` });
      spec.network = `container:${id}`;
    } else spec.network = s.networkMode;
  } else if (first) {
    const net = ctx.project.networks[first.key];
    spec.network = net?.name ?? first.key;
    spec.networkAliases = [...new Set([s.name, name, ...(first.aliases ?? [])])];
    if (first.ipv4Address) spec.ip = first.ipv4Address;
    if (first.ipv6Address) spec.ip6 = first.ipv6Address;
  }
  const req = toCreateRequest(spec);
  const created = await engineCall(`container ${name}`, () => docker.createContainer({ ...req.body, name, ...(req.platform ? { platform: req.platform } : {}) } as Docker.ContainerCreateOptions));
  for (const more of rest) {
    const netName = ctx.project.networks[more.key]?.name ?? more.key;
    await engineCall(`network ${netName}`, () =>
      docker.getNetwork(netName).connect({
        Container: created.id,
        EndpointConfig: {
          Aliases: [...new Set([s.name, name, ...(more.aliases ?? [])])],
          ...(more.ipv4Address || more.ipv6Address ? { IPAMConfig: { ...(more.ipv4Address ? { IPv4Address: more.ipv4Address } : {}), ...(more.ipv6Address ? { IPv6Address: more.ipv6Address } : {}) } } : {}),
        },
      }),
    );
  }
  return created.id;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long a healthcheck may take to say healthy: its start period and every retry, with a margin, within 30 s – 10 min. */
function healthDeadline(hc: { Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | undefined): number {
  const ms = (v: number | undefined, dflt: number) => (v && v > 0 ? v / 1e6 : dflt);
  const total = ms(hc?.StartPeriod, 0) + (ms(hc?.Interval, 30_000) + ms(hc?.Timeout, 30_000)) * ((hc?.Retries || 3) + 1) + 15_000;
  return Math.min(Math.max(total, 30_000), 10 * 60_000);
}

/** Waits until every container is healthy; fails naming the service when one is unhealthy, exits, has no healthcheck or takes too long. */
export async function waitHealthy(docker: Docker, service: string, ids: string[], signal: AbortSignal): Promise<void> {
  for (const id of ids) {
    const first = await engineCall(`service ${service}`, () => docker.getContainer(id).inspect());
    const deadline = Date.now() + healthDeadline(first.Config.Healthcheck);
    for (;;) {
      if (signal.aborted) throw new RuntimeFailure({ code: "CONFLICT", message: "cancelled" });
      const info = await engineCall(`service ${service}`, () => docker.getContainer(id).inspect());
      const health = info.State.Health?.Status;
      if (!info.State.Health && !info.State.Running) throw new RuntimeFailure({ code: "BAD_REQUEST", message: `service ${service}: container ${info.Name.replace(/^\//, "")} exited (code ${info.State.ExitCode}) before it was healthy` });
      if (!info.State.Health) throw new RuntimeFailure({ code: "BAD_REQUEST", message: `service ${service}: has no healthcheck, so service_healthy can never be met` });
      if (health === "healthy") break;
      if (health === "unhealthy") {
        const last = info.State.Health.Log?.at(-1);
        throw new RuntimeFailure({ code: "BAD_REQUEST", message: `service ${service}: container ${info.Name.replace(/^\//, "")} is unhealthy${last ? ` (exit ${last.ExitCode}: ${String(last.Output ?? "").trim().slice(0, 300)})` : ""}` });
      }
      if (!info.State.Running) throw new RuntimeFailure({ code: "BAD_REQUEST", message: `service ${service}: container ${info.Name.replace(/^\//, "")} exited (code ${info.State.ExitCode}) before it was healthy` });
      if (Date.now() > deadline) throw new RuntimeFailure({ code: "TIMEOUT", message: `service ${service}: not healthy after ${Math.round(healthDeadline(first.Config.Healthcheck) / 1000)} s` });
      await sleep(500);
    }
  }
}

/** Waits until every container has exited with code 0 (service_completed_successfully). */
export async function waitCompleted(docker: Docker, service: string, ids: string[], signal: AbortSignal, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const id of ids) {
    for (;;) {
      if (signal.aborted) throw new RuntimeFailure({ code: "CONFLICT", message: "cancelled" });
      const info = await engineCall(`service ${service}`, () => docker.getContainer(id).inspect());
      if (!info.State.Running && !info.State.Restarting && info.State.Status !== "created") {
        if (info.State.ExitCode !== 0) throw new RuntimeFailure({ code: "BAD_REQUEST", message: `service ${service}: container ${info.Name.replace(/^\//, "")} exited with code ${info.State.ExitCode}, not 0 (service_completed_successfully)` });
        break;
      }
      if (Date.now() > deadline) throw new RuntimeFailure({ code: "TIMEOUT", message: `service ${service}: still running after ${timeoutMs / 1000} s (service_completed_successfully)` });
      await sleep(500);
    }
  }
}

/** Stops then removes a container (the stop timeout the service gives, else Docker's). */
export async function stopAndRemove(docker: Docker, id: string, stopTimeout?: string | number): Promise<void> {
  const c = docker.getContainer(id);
  const t = typeof stopTimeout === "number" ? stopTimeout : stopTimeout ? Math.round((parseDuration(stopTimeout) ?? 10e9) / 1e9) : undefined;
  try {
    await c.stop(t !== undefined ? { t } : {});
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== 304 && status !== 404) throw err;
  }
  try {
    await c.remove({ force: true, v: false });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
}
