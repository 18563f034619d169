import { RegistriesPage } from "~/app/_features/registries/registries-page";
import { connections, defaultEnvironmentId } from "~/server/engines/registry";

export const dynamic = "force-dynamic";

/** Registries are Berth-wide; Test login and Browse go through an environment's runtime (the default one unless picked). */
export default function Page() {
  return <RegistriesPage environments={connections().map((c) => c.id)} defaultEnv={defaultEnvironmentId()} />;
}
