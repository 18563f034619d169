"use client";
/**
 * Remove an image (`docker rmi`): untag one of its tags (the image stays while
 * it has others), or remove the image by id with all its tags; Force also
 * removes it when tagged in several repositories or used by a stopped container.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ActionDialog } from "~/app/_components/dialog";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { shortId } from "./image-names";

export function RemoveImageDialog({ env, image, onClose, onRemoved }: { env: string; image: { id: string; tags: string[] }; onClose: () => void; onRemoved?: (gone: boolean) => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [target, setTarget] = useState<string>(image.tags.length > 1 ? image.tags[0]! : image.id);
  const [force, setForce] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.images.remove.mutationOptions({
      onError: (e) => setError(errorMessage(e)),
      onSuccess: async (r) => {
        await qc.invalidateQueries({ queryKey: trpc.images.list.queryKey({ env }) });
        onRemoved?.(r.deleted.includes(image.id));
        onClose();
      },
    }),
  );
  const byTag = target !== image.id;
  const cli = `docker rmi${force ? " --force" : ""} ${byTag ? target : shortId(image.id)}`;
  return (
    <ActionDialog
      label={`Remove image ${image.tags[0] ?? shortId(image.id)}`}
      cli={cli}
      onClose={onClose}
      onSubmit={() => remove.mutate({ env, id: target, force })}
      submitLabel={byTag && image.tags.length > 1 ? "Untag" : "Remove"}
      busy={remove.isPending}
      error={error}
      danger
    >
      <fieldset className="rows">
        <legend>What to remove</legend>
        {image.tags.length > 1 &&
          image.tags.map((t) => (
            <label key={t} className="check">
              <input type="radio" name="rmi-target" checked={target === t} onChange={() => setTarget(t)} /> Untag {t} only
            </label>
          ))}
        <label className="check">
          <input type="radio" name="rmi-target" checked={target === image.id} onChange={() => setTarget(image.id)} />{" "}
          {image.tags.length > 1 ? `The image ${shortId(image.id)} with all ${image.tags.length} tags` : `The image ${image.tags[0] ?? shortId(image.id)}`}
        </label>
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force (--force)
      </label>
    </ActionDialog>
  );
}
