"use client";
/**
 * Replays a recorded console session (asciicast v2) in a terminal: the whole
 * session at once (its last screen), or played back in time, pauses longer
 * than MAX_IDLE_S shortened.
 */
import "@xterm/xterm/css/xterm.css";
import { useQuery } from "@tanstack/react-query";
import type { Terminal } from "@xterm/xterm";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { parseCast, type Cast } from "./parse-cast";

const MAX_IDLE_S = 1;

export function CastPlayer({ id }: { id: number }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.consoleRecordings.get.queryOptions({ id }));
  const box = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | undefined>(undefined);
  const [cast, setCast] = useState<Cast | undefined>(undefined);
  const [playing, setPlaying] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    if (!q.data || !box.current) return;
    const parsed = parseCast(q.data.text);
    setCast(parsed);
    let disposed = false;
    void import("@xterm/xterm").then(({ Terminal: XTerm }) => {
      if (disposed || !box.current) return;
      const t = new XTerm({ cols: parsed.header.width, rows: parsed.header.height, disableStdin: true, scrollback: 5000 });
      t.open(box.current);
      for (const e of parsed.events) {
        if (e.kind === "o") t.write(e.data);
        else t.resize(e.cols, e.rows);
      }
      term.current = t;
    });
    return () => {
      disposed = true;
      clearTimeout(timer.current);
      term.current?.dispose();
      term.current = undefined;
    };
  }, [q.data]);

  const play = () => {
    const t = term.current;
    if (!t || !cast) return;
    clearTimeout(timer.current);
    t.reset();
    t.resize(cast.header.width, cast.header.height);
    setPlaying(true);
    let i = 0;
    let last = 0;
    const step = () => {
      const e = cast.events[i];
      if (!e) return setPlaying(false);
      if (e.kind === "o") t.write(e.data);
      else t.resize(e.cols, e.rows);
      i += 1;
      const next = cast.events[i];
      if (!next) return setPlaying(false);
      const wait = Math.min(next.at - Math.max(last, e.at), MAX_IDLE_S);
      last = e.at;
      timer.current = setTimeout(step, Math.max(0, wait * 1000));
    };
    step();
  };
  const stop = () => {
    clearTimeout(timer.current);
    setPlaying(false);
  };

  if (q.error) return <p role="alert" className="error">{errorMessage(q.error)}</p>;
  if (!q.data) return <p className="muted">Loading the recording…</p>;
  return (
    <div>
      <p className="muted">
        {cast?.header.title} — {cast?.header.command} — recorded {cast ? new Date(cast.header.timestamp * 1000).toLocaleString() : ""}
        {q.data.truncated && " (only the first 8 MB are shown)"}
      </p>
      <div className="row">
        {playing ? <button type="button" onClick={stop}>Stop</button> : <button type="button" onClick={play}>Replay</button>}
      </div>
      <div ref={box} className="terminal" role="region" aria-label="Recorded session" />
    </div>
  );
}
