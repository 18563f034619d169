/**
 * Teams: administrators create, rename, delete them and choose leaders
 * (`team.manage`); administrators and the team's leaders manage its members
 * (`team.members`, the team named by `teamId`). Thin: server/users/teams.ts.
 */
import { z } from "zod";
import { addMember, createTeam, deleteTeam, listTeams, memberCandidates, removeMember, renameTeam, setLeader } from "../../users/teams";
import { auditedChange } from "../audited-change";
import { procedure, router } from "../trpc";
import { usernameSchema } from "./setup";
import { recordId } from "./users";

const teamName = z
  .string({ error: "name is required" })
  .trim()
  .min(1, "name is required")
  .max(64, "name must be at most 64 characters")
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.@-]*$/u, "name may use letters, digits, spaces and . _ @ - (starting with a letter or digit)");
const team = z.object({ teamId: recordId("teamId") });
const member = team.extend({ userId: recordId("userId") });

export const teamsRouter = router({
  /** Administrators see every team; anyone else the teams they lead (empty for most). */
  list: procedure("session.read").query(({ ctx }) => listTeams(ctx.user?.role === "admin" ? {} : { leaderId: ctx.user?.id ?? "" })),
  create: procedure("team.manage")
    .input(z.object({ name: teamName }))
    .mutation(({ input, ctx }) => createTeam(input.name, auditedChange(ctx, "team.manage"))),
  rename: procedure("team.manage")
    .input(team.extend({ name: teamName }))
    .mutation(({ input, ctx }) => renameTeam(input.teamId, input.name, auditedChange(ctx, "team.manage"))),
  delete: procedure("team.manage")
    .input(team)
    .mutation(({ input, ctx }) => deleteTeam(input.teamId, auditedChange(ctx, "team.manage"))),
  setLeader: procedure("team.manage")
    .input(member.extend({ leader: z.boolean({ error: "leader must be true or false" }) }))
    .mutation(({ input, ctx }) => setLeader(input.teamId, input.userId, input.leader, auditedChange(ctx, "team.manage"))),
  candidates: procedure("team.members")
    .input(team)
    .query(({ input }) => memberCandidates(input.teamId)),
  addMember: procedure("team.members")
    .input(team.extend({ username: usernameSchema }))
    .mutation(({ input, ctx }) => addMember(input.teamId, input.username, auditedChange(ctx, "team.members"))),
  removeMember: procedure("team.members")
    .input(member)
    .mutation(({ input, ctx }) => removeMember(input.teamId, input.userId, auditedChange(ctx, "team.members"))),
});
