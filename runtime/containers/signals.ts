/**
 * The signals `docker kill --signal` takes on a Linux engine, read as the engine
 * reads them (moby's signal.ParseSignal): a number, or a name from its table
 * with or without `SIG`, in any case. Checked here so a typo is a 400 that says
 * what would do, not the engine's bare "Invalid signal".
 */
const NAMES = [
  "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR",
  "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH",
  "XCPU", "XFSZ", "RTMIN", "RTMAX",
];
const known = new Set([
  ...NAMES,
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${i + 1}`),
]);

/** Linux has signals 1 to 64 (SIGRTMAX). */
const MAX_SIGNAL = 64;

export function isSignal(s: string): boolean {
  if (/^\d+$/.test(s)) return Number(s) >= 1 && Number(s) <= MAX_SIGNAL;
  return known.has(s.toUpperCase().replace(/^SIG/, ""));
}

export const signalHint = `use a name such as SIGTERM or KILL, or a number 1–${MAX_SIGNAL}`;
export const signalError = (s: string) => `unknown signal ${JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)} (${signalHint})`;
