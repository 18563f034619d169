import { redirectToDefaultEnv } from "./default-env-redirect";

export default async function Root({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  redirectToDefaultEnv("", await searchParams);
}
