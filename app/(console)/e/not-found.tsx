import { defaultEnvironmentId } from "~/server/engines/registry";
import { EnvironmentNotFound } from "../../_components/environment-not-found";

/** The 404 of an unknown environment id (thrown by e/[env]/layout.tsx, which this boundary wraps). */
export default function NotFound() {
  return <EnvironmentNotFound defaultEnv={defaultEnvironmentId()} />;
}
