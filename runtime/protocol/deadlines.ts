/**
 * How long each runtime method may take. The runtime answers a TIMEOUT error at its
 * deadline; the dashboard waits a little longer (DASHBOARD_MARGIN_MS), so a slow
 * engine is reported by the runtime in its own words, and only a runtime that does
 * not answer at all is reported by the dashboard as not answering. Where the input
 * says how long Docker may take (a stop timeout), the deadline follows it.
 */

const S = 1000;
const MIN = 60 * S;

/** Most calls: one or a few short engine requests. */
export const DEFAULT_DEADLINE_MS = 25 * S;
/** What the dashboard adds to the runtime's deadline before it gives up on the runtime. */
export const DASHBOARD_MARGIN_MS = 5 * S;
/** Docker's own stop timeout when neither the call nor the container names one. */
const DOCKER_STOP_TIMEOUT_S = 10;
/** A container's own StopTimeout may be longer than Docker's default: room for it when the call names none. */
const UNKNOWN_STOP_MS = 3 * MIN;
/** Pulling an image, or committing a large filesystem. */
const LONG_MS = 10 * MIN;
/** containers.bulk runs this many at a time (container-ops.ts). */
const BULK_CONCURRENCY = 8;

type Input = Record<string, unknown> | undefined;

const stopMs = (input: Input): number =>
  typeof input?.timeout === "number" ? input.timeout * S + 30 * S : UNKNOWN_STOP_MS;

const deadlines: Record<string, (input: Input) => number> = {
  "containers.stop": stopMs,
  "containers.restart": (input) => stopMs(input) + 30 * S,
  "containers.remove": () => 2 * MIN,
  "containers.create": () => LONG_MS,
  "containers.commit": () => LONG_MS,
  "containers.recreate": () => LONG_MS + UNKNOWN_STOP_MS,
  "containers.diff": () => 2 * MIN,
  "containers.top": () => MIN,
  "logs.history.search": () => MIN,
  "containers.bulk": (input) => {
    const count = Array.isArray(input?.ids) ? input.ids.length : 1;
    const rounds = Math.ceil(count / BULK_CONCURRENCY);
    const each = input?.action === "stop" || input?.action === "restart"
      ? (typeof input.timeout === "number" ? input.timeout : DOCKER_STOP_TIMEOUT_S) * S + 30 * S
      : 30 * S;
    return Math.max(DEFAULT_DEADLINE_MS, rounds * each + 30 * S);
  },
};

/** The runtime's deadline for one call of `method` with this input, in ms. */
export function methodDeadlineMs(method: string, input: unknown): number {
  const rule = Object.hasOwn(deadlines, method) ? deadlines[method] : undefined;
  const ms = rule ? rule(typeof input === "object" && input !== null ? (input as Input) : undefined) : DEFAULT_DEADLINE_MS;
  return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_DEADLINE_MS;
}

export function formatSeconds(ms: number): string {
  const s = Math.round(ms / S);
  return s >= 120 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}
