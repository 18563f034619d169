/**
 * How long each runtime method may take. The runtime answers a TIMEOUT error at its
 * deadline; the dashboard waits a little longer (DASHBOARD_MARGIN_MS), so a slow
 * engine is reported by the runtime in its own words, and only a runtime that does
 * not answer at all is reported by the dashboard as not answering. Where the input
 * says how long Docker may take (a stop timeout), the deadline follows it.
 * Each capability's protocol declares the rules of its slow methods (DeadlineRules);
 * every other method gets DEFAULT_DEADLINE_MS.
 */
import type { DeadlineRules } from "./registry";

export const S = 1000;
export const MIN = 60 * S;

/** Most calls: one or a few short engine requests. */
export const DEFAULT_DEADLINE_MS = 25 * S;
/** What the dashboard adds to the runtime's deadline before it gives up on the runtime. */
export const DASHBOARD_MARGIN_MS = 5 * S;
/** Docker's own stop timeout when neither the call nor the container names one. */
export const DOCKER_STOP_TIMEOUT_S = 10;
/** A container's own StopTimeout may be longer than Docker's default: room for it when the call names none. */
export const UNKNOWN_STOP_MS = 3 * MIN;
/** Pulling an image, or committing a large filesystem. */
export const LONG_MS = 10 * MIN;

/** The deadline function for a table of rules: `(method, input) → ms`, always finite and positive. */
export function deadlineFrom(rules: DeadlineRules): (method: string, input: unknown) => number {
  return (method, input) => {
    const rule = Object.hasOwn(rules, method) ? rules[method] : undefined;
    const ms = rule ? rule(typeof input === "object" && input !== null ? (input as Record<string, unknown>) : undefined) : DEFAULT_DEADLINE_MS;
    return Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_DEADLINE_MS;
  };
}

export function formatSeconds(ms: number): string {
  const s = Math.round(ms / S);
  return s >= 120 && s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}
