"use client";
/** One image: `/e/<env>/images/<id or name>` (the id as `sha256:…`, percent-encoded). */
import { useParams } from "next/navigation";
import { decodeSegment } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { ImageDetailView } from "~/app/_features/images/image-detail";

export default function ImagePage() {
  const env = useEnv();
  const raw = useParams<{ id: string }>().id;
  const id = decodeSegment(raw) ?? raw;
  return <ImageDetailView env={env} id={id} />;
}
