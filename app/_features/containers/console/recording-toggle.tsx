"use client";
/** The environment's "Record console sessions" setting (asciicast files, replayed from the audit history). */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";

export function RecordingToggle() {
  const trpc = useTRPC();
  const env = useEnv();
  const queryClient = useQueryClient();
  const setting = useQuery(trpc.consoleRecordings.setting.queryOptions({ env }));
  const set = useMutation(
    trpc.consoleRecordings.set.mutationOptions({
      onSuccess: (r) => queryClient.setQueryData(trpc.consoleRecordings.setting.queryKey({ env }), r),
    }),
  );
  return (
    <span className="recording-toggle">
      <label title="Keep a replayable transcript (asciicast) of each new console session of this environment; administrators replay it from the audit history">
        <input
          type="checkbox"
          checked={setting.data?.record ?? false}
          disabled={!setting.data || set.isPending}
          onChange={(e) => set.mutate({ env, record: e.target.checked })}
        />{" "}
        Record console sessions
      </label>
      {set.error && <span role="alert" className="error small"> {errorMessage(set.error)}</span>}
    </span>
  );
}
