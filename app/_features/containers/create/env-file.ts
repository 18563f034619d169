/** Environment lists: KEY=value entries, .env files read the way `docker run --env-file` reads them. */

export const splitEnv = (e: string): [string, string] => {
  const eq = e.indexOf("=");
  return eq < 0 ? [e, ""] : [e.slice(0, eq), e.slice(eq + 1)];
};

/** docker's --env-file rules: blank lines and `#` comments skipped, each other line taken as it is. */
export function parseEnvFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/^\s+/, ""))
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Later values win, as with repeated -e. */
export function mergeEnv(current: string[], added: string[]): string[] {
  const byName = new Map(current.map((e) => [splitEnv(e)[0], e]));
  for (const e of added) byName.set(splitEnv(e)[0], e);
  return [...byName.values()];
}
