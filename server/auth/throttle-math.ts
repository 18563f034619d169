/**
 * The arithmetic of sign-in throttling, kept pure so it can be tested alone.
 * A key (an address or a username) may fail a few times freely; after that
 * each failure doubles the wait before the next attempt, up to a cap. A key
 * that stays quiet long enough is forgotten.
 */
export const FREE_FAILURES = 5;
export const MAX_DELAY_SECONDS = 15 * 60;
export const FORGET_AFTER_MS = 24 * 3600_000;

export interface ThrottleEntry {
  failures: number;
  lastFailureAt: number;
}

/** Seconds to wait after the last of `failures` failures: 0 for the first 5, then 1, 2, 4 … capped at 15 min. */
export function delaySeconds(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(2 ** Math.min(failures - FREE_FAILURES, 30), MAX_DELAY_SECONDS);
}

function forgotten(entry: ThrottleEntry | null | undefined, now: number): boolean {
  return !entry || now - entry.lastFailureAt >= FORGET_AFTER_MS;
}

/** Milliseconds until the key may try again (0: now). */
export function waitMs(entry: ThrottleEntry | null | undefined, now: number): number {
  if (forgotten(entry, now)) return 0;
  return Math.max(0, entry!.lastFailureAt + delaySeconds(entry!.failures) * 1000 - now);
}

/** The entry after one more failure at `now`. */
export function afterFailure(entry: ThrottleEntry | null | undefined, now: number): ThrottleEntry {
  return { failures: forgotten(entry, now) ? 1 : entry!.failures + 1, lastFailureAt: now };
}

/** "Try again in 3 s" / "in 2 min": whole units, rounded up, never "0 s". */
export function retryText(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}
