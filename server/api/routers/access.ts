/**
 * Ownership of one object ("Access control" on its page): read it, change it,
 * and the users and teams it can be given to. Containers today; stacks,
 * volumes, networks and templates use the same rows when they arrive.
 */
import { z } from "zod";
import { db } from "../../db";
import { BerthError } from "../../errors";
import { containerIdSchema } from "~/runtime/protocol/ids";
import { accessLevels, controlFor, controlsOf, setControl } from "../../authz/ownership";
import { teamsOf } from "../../authz/roles";
import { envProcedure, router } from "../trpc";

const objectInput = z.object({ type: z.literal("container"), id: containerIdSchema });

async function principals(ids: { userIds: string[]; teamIds: string[] }) {
  const [users, teams] = await Promise.all([
    db.user.findMany({ where: { id: { in: ids.userIds } }, select: { id: true, username: true } }),
    db.team.findMany({ where: { id: { in: ids.teamIds } }, select: { id: true, name: true } }),
  ]);
  return { users, teams };
}

export const accessRouter = router({
  get: envProcedure("container.inspect", objectInput).query(async ({ input, ctx }) => {
    const found = ctx.conn.live.find(input.id);
    const c = controlFor(await controlsOf(input.env), input.type, found?.id ?? input.id, found?.labels);
    if (!c) return { access: "admins" as const, managed: false, owner: null, users: [], teams: [] };
    const owner = c.ownerId ? await db.user.findUnique({ where: { id: c.ownerId }, select: { id: true, username: true } }) : null;
    return { access: c.access, managed: true, owner, ...(await principals(c)) };
  }),

  set: envProcedure(
    "resource.access.manage",
    objectInput.extend({
      access: z.enum(accessLevels),
      userIds: z.array(z.string().min(1).max(64)).max(100).default([]),
      teamIds: z.array(z.string().min(1).max(64)).max(100).default([]),
    }),
  ).mutation(async ({ input, ctx }) => {
    const found = ctx.conn.live.find(input.id);
    if (!found) throw new BerthError("NOT_FOUND", `id: no container "${input.id}" on environment "${input.env}"`, { field: "id" });
    ctx.audit.target = { type: "container", id: found.id, name: found.name };
    if (input.access === "restricted" && !input.userIds.length && !input.teamIds.length) {
      throw new BerthError("BAD_REQUEST", "userIds: Restricted needs at least one user or team", { field: "userIds" });
    }
    const known = await principals(input);
    const missingUser = input.userIds.find((id) => !known.users.some((u) => u.id === id));
    if (missingUser) throw new BerthError("BAD_REQUEST", `userIds: no user "${missingUser}"`, { field: "userIds" });
    const missingTeam = input.teamIds.find((id) => !known.teams.some((t) => t.id === id));
    if (missingTeam) throw new BerthError("BAD_REQUEST", `teamIds: no team "${missingTeam}"`, { field: "teamIds" });
    const before = controlFor(await controlsOf(input.env), "container", found.id, found.labels);
    // A control found by label (a recreated container) is keyed by the new id from now on.
    const c = await setControl(
      { env: input.env, type: "container", resourceId: found.id, access: input.access, ownerId: before?.ownerId ?? ctx.user!.id, userIds: input.userIds, teamIds: input.teamIds },
      before?.id,
    );
    return { access: c.access };
  }),

  /** Whom an object can be given to: everyone for those who see the whole environment, else one's own teams. */
  principals: envProcedure("resource.access.manage").query(async ({ ctx }) => {
    if (ctx.access.scope === "all") {
      const [users, teams] = await Promise.all([
        db.user.findMany({ select: { id: true, username: true }, orderBy: { username: "asc" } }),
        db.team.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
      ]);
      return { users, teams };
    }
    return { users: [{ id: ctx.user!.id, username: ctx.user!.username }], teams: (await teamsOf(ctx.user!.id)).map((t) => ({ id: t.id, name: t.name })) };
  }),
});
