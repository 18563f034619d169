/**
 * The docker CLI equivalent of each container action, as shown in titles and
 * dialogs, quoted with Berth's one shell quoting so a line can be pasted into a terminal.
 */
import { shellLine, shellQuote as sh } from "~/runtime/run-spec/shell-quote";

export const cli = {
  start: (names: string[]) => `docker start ${shellLine(names)}`,
  stop: (names: string[], timeout?: number) => `docker stop ${timeout !== undefined ? `-t ${timeout} ` : ""}${shellLine(names)}`,
  restart: (names: string[], timeout?: number) => `docker restart ${timeout !== undefined ? `-t ${timeout} ` : ""}${shellLine(names)}`,
  kill: (names: string[], signal?: string) =>
    `docker kill ${signal && signal !== "SIGKILL" && signal !== "KILL" ? `--signal ${sh(signal)} ` : ""}${shellLine(names)}`,
  pause: (names: string[]) => `docker pause ${shellLine(names)}`,
  unpause: (names: string[]) => `docker unpause ${shellLine(names)}`,
  remove: (names: string[], force?: boolean, volumes?: boolean) =>
    `docker rm ${force ? "-f " : ""}${volumes ? "-v " : ""}${shellLine(names)}`,
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
  /** The buttons that open a dialog: the verb with placeholders for what the dialog asks. */
  updateHint: (name: string) => `docker update … ${sh(name)}`,
  commitHint: (name: string) => `docker commit ${sh(name)} REPOSITORY[:TAG]`,
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
