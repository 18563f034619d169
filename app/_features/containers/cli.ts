/**
 * The docker CLI equivalent of each container action, as shown in titles and
 * dialogs. Quoting follows POSIX sh so a line can be pasted into a terminal.
 */

/** Quotes a word for sh only when it needs it. */
export function sh(word: string): string {
  if (word !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export const cli = {
  start: (names: string[]) => `docker start ${names.map(sh).join(" ")}`,
  stop: (names: string[], timeout?: number) => `docker stop ${timeout !== undefined ? `-t ${timeout} ` : ""}${names.map(sh).join(" ")}`,
  restart: (names: string[], timeout?: number) => `docker restart ${timeout !== undefined ? `-t ${timeout} ` : ""}${names.map(sh).join(" ")}`,
  kill: (names: string[], signal?: string) =>
    `docker kill ${signal && signal !== "SIGKILL" && signal !== "KILL" ? `--signal ${sh(signal)} ` : ""}${names.map(sh).join(" ")}`,
  pause: (names: string[]) => `docker pause ${names.map(sh).join(" ")}`,
  unpause: (names: string[]) => `docker unpause ${names.map(sh).join(" ")}`,
  remove: (names: string[], force?: boolean, volumes?: boolean) =>
    `docker rm ${force ? "-f " : ""}${volumes ? "-v " : ""}${names.map(sh).join(" ")}`,
  rename: (name: string, to: string) => `docker rename ${sh(name)} ${sh(to || "NEW_NAME")}`,
  top: (name: string, psArgs?: string) => `docker top ${sh(name)}${psArgs ? ` ${psArgs}` : ""}`,
  diff: (name: string) => `docker diff ${sh(name)}`,
  inspect: (name: string) => `docker inspect ${sh(name)}`,
  export: (name: string) => `docker export -o ${sh(`${name}.tar`)} ${sh(name)}`,
  connect: (name: string, network: string, ip?: string, ip6?: string, aliases: string[] = []) =>
    [
      "docker network connect",
      ip ? `--ip ${sh(ip)}` : "",
      ip6 ? `--ip6 ${sh(ip6)}` : "",
      ...aliases.map((a) => `--alias ${sh(a)}`),
      sh(network || "NETWORK"),
      sh(name),
    ]
      .filter(Boolean)
      .join(" "),
  disconnect: (name: string, network: string, force?: boolean) =>
    `docker network disconnect ${force ? "-f " : ""}${sh(network || "NETWORK")} ${sh(name)}`,
  commit: (name: string, o: { repository?: string; tag?: string; message?: string; author?: string; changes?: string[]; pause?: boolean }) =>
    [
      "docker commit",
      o.author ? `--author ${sh(o.author)}` : "",
      o.message ? `--message ${sh(o.message)}` : "",
      ...(o.changes ?? []).map((c) => `--change ${sh(c)}`),
      o.pause === false ? "--pause=false" : "",
      sh(name),
      o.repository ? sh(`${o.repository}${o.tag ? `:${o.tag}` : ""}`) : "",
    ]
      .filter(Boolean)
      .join(" "),
  update: (name: string, o: UpdateFlags) =>
    [
      "docker update",
      o.memory ? `--memory ${sh(o.memory)}` : "",
      o.memoryReservation ? `--memory-reservation ${sh(o.memoryReservation)}` : "",
      o.memorySwap ? `--memory-swap ${sh(o.memorySwap)}` : "",
      o.cpus ? `--cpus ${sh(o.cpus)}` : "",
      o.cpuShares ? `--cpu-shares ${sh(o.cpuShares)}` : "",
      o.cpusetCpus ? `--cpuset-cpus ${sh(o.cpusetCpus)}` : "",
      o.pidsLimit ? `--pids-limit ${sh(o.pidsLimit)}` : "",
      o.restart ? `--restart ${sh(o.restart)}` : "",
      sh(name),
    ]
      .filter(Boolean)
      .join(" "),
  /** Recreate has no single CLI verb: these are the steps Berth takes. */
  recreate: (name: string, image: string, pull: boolean) =>
    `${pull ? `docker pull ${sh(image)} && ` : ""}docker stop ${sh(name)} && docker rename ${sh(name)} ${sh(`${name}-old`)} && docker run … --name ${sh(name)} (same configuration) && docker rm ${sh(`${name}-old`)}`,
};

export interface UpdateFlags {
  memory?: string;
  memoryReservation?: string;
  memorySwap?: string;
  cpus?: string;
  cpuShares?: string;
  cpusetCpus?: string;
  pidsLimit?: string;
  restart?: string;
}

/** Bulk action → CLI verb line. */
export function bulkCli(action: string, names: string[]): string {
  switch (action) {
    case "start": return cli.start(names);
    case "stop": return cli.stop(names);
    case "kill": return cli.kill(names);
    case "restart": return cli.restart(names);
    case "pause": return cli.pause(names);
    case "unpause": return cli.unpause(names);
    case "remove": return cli.remove(names, true);
    default: return "";
  }
}
