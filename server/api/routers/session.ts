import { permissionTable, roleHolds, type Permission } from "../permissions";
import { effectiveRole } from "../../authz/roles";
import { envInput, procedure, router } from "../trpc";

export const sessionRouter = router({
  // The session id stays on the server side of the page.
  me: procedure("session.read").query(({ ctx }) => ctx.user && { id: ctx.user.id, username: ctx.user.username, role: ctx.user.role }),
  /**
   * What the user may do on one environment, for the pages to show only the controls that work:
   * per permission "all" (every object), "own" (those they may see) or false. The server checks every call anyway.
   */
  can: procedure("session.read")
    .input(envInput)
    .query(async ({ ctx, input }) => {
      const role = ctx.user ? await effectiveRole(ctx.user, input.env) : null;
      const held = Object.fromEntries(
        (Object.keys(permissionTable) as Permission[]).map((p) => {
          const scope = permissionTable[p].rule.scope;
          if (scope === "public" || scope === "self") return [p, "all"];
          if (!role) return [p, false];
          return [p, roleHolds(role, p)];
        }),
      ) as Record<Permission, "all" | "own" | false>;
      return { role, permissions: held };
    }),
});
