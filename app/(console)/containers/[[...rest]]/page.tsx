import { redirectToDefaultEnv } from "../../default-env-redirect";

/** `/containers`, `/containers/new`, `/containers/<id>` and its tabs. */
export default async function LegacyContainers({
  params,
  searchParams,
}: {
  params: Promise<{ rest?: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const rest = (await params).rest ?? [];
  redirectToDefaultEnv(["/containers", ...rest.map((s) => encodeURIComponent(s))].join("/"), await searchParams);
}
