/**
 * Browsing files: a container's (running or stopped, through the Engine's
 * archive endpoints) and a volume's (through a short-lived helper container the
 * runtime manages), and a volume's folder operations. Downloads and uploads are
 * plain HTTP routes (server/http/files-routes.ts). Input `id` names the container
 * or the volume, so ownership applies to it like to any other call.
 */
import { methods } from "~/runtime/protocol/index";
import type { AuditTarget } from "../../audit";
import { envProcedure, router, withoutEnv } from "../trpc";

const auditVolume = (ctx: { audit: { target?: AuditTarget } }, id: string) => {
  ctx.audit.target = { type: "volume", id, name: id };
};

export const filesRouter = router({
  containerList: envProcedure("container.files.read", methods["files.list"]).query(({ input, ctx }) => ctx.conn.runtime.call("files.list", withoutEnv(input))),

  volumeList: envProcedure("volume.browse", methods["files.volumeList"]).query(({ input, ctx }) => ctx.conn.runtime.call("files.volumeList", withoutEnv(input))),

  volumeMkdir: envProcedure("volume.files.write", methods["files.volumeMkdir"]).mutation(({ input, ctx }) => {
    auditVolume(ctx, input.id);
    return ctx.conn.runtime.call("files.volumeMkdir", withoutEnv(input));
  }),

  volumeRename: envProcedure("volume.files.write", methods["files.volumeRename"]).mutation(({ input, ctx }) => {
    auditVolume(ctx, input.id);
    return ctx.conn.runtime.call("files.volumeRename", withoutEnv(input));
  }),

  volumeDelete: envProcedure("volume.files.write", methods["files.volumeDelete"]).mutation(({ input, ctx }) => {
    auditVolume(ctx, input.id);
    return ctx.conn.runtime.call("files.volumeDelete", withoutEnv(input));
  }),
});
