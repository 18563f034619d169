import { notFound, redirect } from "next/navigation";
import { defaultEnvironmentId } from "~/server/engines/registry";
import { envPath } from "../_lib/env-path";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Sends an address that names no environment (`/`, `/containers/…`, `/logs?…`,
 * from before environments were in every address) to the same page of the
 * default environment, query string kept.
 */
export function redirectToDefaultEnv(path: string, searchParams: SearchParams): never {
  const env = defaultEnvironmentId();
  if (!env) notFound();
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(searchParams)) {
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) query.append(k, one);
  }
  const qs = query.toString();
  const target = envPath(env, path);
  redirect(qs ? `${target}?${qs}` : target);
}
