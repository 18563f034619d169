/**
 * The compose CLI line that does what a button does, shown beside it: people
 * who know `docker-compose` read what Berth will do, and can do it by hand.
 */
import { shellQuote } from "~/runtime/run-spec/shell-quote";

export function composeCli(project: string, args: string[]): string {
  return ["docker-compose", "-p", shellQuote(project), ...args.map((a) => (/^[A-Za-z0-9_.:/=-]+$/.test(a) ? a : shellQuote(a)))].join(" ");
}

export interface DownOptions {
  volumes: boolean;
  images: "none" | "local" | "all";
}

export function downCli(project: string, o: DownOptions): string {
  return composeCli(project, ["down", ...(o.volumes ? ["-v"] : []), ...(o.images !== "none" ? ["--rmi", o.images] : [])]);
}
