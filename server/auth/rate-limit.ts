/**
 * Sign-in rate limit: a sliding window of failures per source IP and per
 * username. In memory: it only has to survive as long as the process.
 */
const WINDOW_MS = 15 * 60_000;
const MAX_FAILURES_PER_KEY = 10;

const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (list.length) failures.set(key, list);
  else failures.delete(key);
  return list;
}

/** Seconds to wait before another attempt, or 0 when allowed. */
export function signInRetryAfter(ip: string, username: string, now = Date.now()): number {
  let wait = 0;
  for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) {
    const list = recent(key, now);
    if (list.length >= MAX_FAILURES_PER_KEY) wait = Math.max(wait, Math.ceil((list[0]! + WINDOW_MS - now) / 1000));
  }
  return wait;
}

export function recordSignInFailure(ip: string, username: string, now = Date.now()): void {
  for (const key of [`ip:${ip}`, `user:${username.toLowerCase()}`]) {
    failures.set(key, [...recent(key, now), now]);
  }
}

export function clearSignInFailures(ip: string, username: string): void {
  failures.delete(`ip:${ip}`);
  failures.delete(`user:${username.toLowerCase()}`);
}
