import { redirectToDefaultEnv } from "../default-env-redirect";

export default async function LegacyLogs({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  redirectToDefaultEnv("/logs", await searchParams);
}
