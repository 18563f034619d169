"use client";
/** Tag an image (`docker tag SOURCE REPOSITORY[:TAG]`). */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { useState } from "react";
import { repositoryError, tagError } from "~/runtime/run-spec/image-reference";
import { ActionDialog } from "~/app/_components/dialog";
import { Field } from "~/app/_components/field";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { shortId } from "./image-names";

export function TagImageDialog({ env, image, onClose }: { env: string; image: { id: string; tags: string[] }; onClose: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [repository, setRepository] = useState("");
  const [tag, setTag] = useState("latest");
  const [submitted, setSubmitted] = useState(false);
  const [server, setServer] = useState<{ message: string; field?: string } | null>(null);
  const mutation = useMutation(
    trpc.images.tag.mutationOptions({
      onError: (e) => setServer({ message: errorMessage(e), field: (e instanceof TRPCClientError ? (e.data as { field?: string } | undefined)?.field : undefined) }),
      onSuccess: async () => {
        await qc.invalidateQueries({ queryKey: trpc.images.list.queryKey({ env }) });
        await qc.invalidateQueries({ queryKey: trpc.images.inspect.queryKey({ env, id: image.id }) });
        onClose();
      },
    }),
  );
  const repoProblem = repository.trim() === "" ? "Repository is required" : repositoryError(repository.trim());
  const tagProblem = tag.trim() === "" ? undefined : tagError(tag.trim());
  const submit = () => {
    setSubmitted(true);
    setServer(null);
    if (repoProblem || tagProblem) return;
    mutation.mutate({ env, id: image.id, repository: repository.trim(), tag: tag.trim() || "latest" });
  };
  return (
    <ActionDialog
      label="Tag image"
      cli={`docker tag ${image.tags[0] ?? shortId(image.id)} ${repository.trim() || "REPOSITORY"}:${tag.trim() || "latest"}`}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Tag"
      busy={mutation.isPending}
      error={server && !server.field ? server.message : null}
    >
      <Field label="Repository" value={repository} onChange={setRepository} placeholder="registry.example.com/team/app" error={submitted ? (repoProblem ?? (server?.field === "repository" ? server.message : undefined)) : undefined} />
      <Field label="Tag" value={tag} onChange={setTag} error={(submitted ? tagProblem : undefined) ?? (server?.field === "tag" ? server.message : undefined)} />
    </ActionDialog>
  );
}
