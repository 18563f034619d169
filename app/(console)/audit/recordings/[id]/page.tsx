"use client";
/** An administrator's replay of one recorded console session, by its audit row. */
import { useParams } from "next/navigation";
import { CastPlayer } from "~/app/_features/console-recordings/cast-player";

export default function RecordingPage() {
  const { id } = useParams<{ id: string }>();
  const n = Number(id);
  return (
    <section aria-labelledby="recording-title">
      <h1 id="recording-title">Console session {Number.isInteger(n) && n > 0 ? `#${n}` : ""}</h1>
      {Number.isInteger(n) && n > 0 ? <CastPlayer id={n} /> : <p role="alert" className="error">id: not an audit entry number</p>}
    </section>
  );
}
