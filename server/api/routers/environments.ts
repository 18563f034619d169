/**
 * The environments, for the pages: which exist, and for each whether Berth is
 * connected to it and what its engine last said. Read from the table, so an
 * environment that could not be connected (an unsupported kind) is listed with
 * `connected: false` rather than hidden.
 */
import { getEnvironment, listEnvironments, type EnvironmentRow } from "../../engines/environments";
import { findConnection } from "../../engines/registry";
import { BerthError } from "../../errors";
import { grantedEnvironments } from "../../authz/roles";
import { envInput, procedure, router } from "../trpc";

function described(row: EnvironmentRow) {
  const conn = findConnection(row.id);
  const engine = conn?.live.engine();
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    dockerHost: row.dockerHost,
    connected: !!conn,
    engine: engine ? { reachable: engine.reachable, version: engine.version ?? null, ...(engine.reachable ? {} : { reason: engine.reason ?? "unknown" }) } : null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export const environmentsRouter = router({
  list: procedure("environment.read").query(async ({ ctx }) => {
    const rows = await listEnvironments();
    if (!ctx.user || ctx.user.role === "admin") return rows.map(described);
    // A non-administrator sees the environments they hold a role on.
    const mine = await grantedEnvironments(ctx.user.id);
    return rows.filter((r) => mine.has(r.id)).map(described);
  }),
  get: procedure("environment.read")
    .input(envInput)
    .query(async ({ input }) => {
      const row = await getEnvironment(input.env);
      if (!row) throw new BerthError("NOT_FOUND", `env: environment "${input.env}" not found`, { field: "env" });
      return described(row);
    }),
});
