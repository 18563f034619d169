/**
 * Console recordings (server/console-recording.ts): the per-environment
 * "Record console sessions" setting, and a session's asciicast for the
 * administrators' viewer, by its audit row.
 */
import { z } from "zod";
import { readRecording, recordingEnabled, setRecording } from "../../console-recording";
import { BerthError } from "../../errors";
import { envProcedure, procedure, router } from "../trpc";

export const consoleRecordingsRouter = router({
  setting: envProcedure("container.exec").query(async ({ input }) => ({ record: await recordingEnabled(input.env) })),
  set: envProcedure("console.recording.manage", z.object({ record: z.boolean() })).mutation(async ({ input, ctx }) => {
    ctx.audit.target = { type: "environment", id: input.env, name: input.env };
    await setRecording(input.env, input.record);
    return { record: input.record };
  }),
  get: procedure("audit.read")
    .input(z.object({ id: z.number().int().min(1) }))
    .query(({ input }) => {
      const cast = readRecording(input.id);
      if (!cast) throw new BerthError("NOT_FOUND", `id: no recording for audit entry ${input.id}`, { field: "id" });
      return cast;
    }),
});
