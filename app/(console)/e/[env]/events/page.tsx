"use client";
/**
 * Events: the engine's events as they happen, filtered by type, action, object
 * and label, with the history since a chosen time first.
 */
import { useMemo, useState } from "react";
import { EventsTable } from "~/app/_features/events/events-table";
import { useEventStream } from "~/app/_features/events/use-event-stream";
import { useDebounced } from "~/app/_lib/use-debounced";
import { useEnv } from "~/app/_lib/use-env";
import { type EventType, eventTypes, type EventsParamsInput } from "~/runtime/protocol/index";

const SINCE_CHOICES = [
  { value: "live", label: "Live only", seconds: undefined },
  { value: "15m", label: "Last 15 minutes", seconds: 15 * 60 },
  { value: "1h", label: "Last hour", seconds: 3600 },
  { value: "24h", label: "Last 24 hours", seconds: 24 * 3600 },
  { value: "custom", label: "Custom…", seconds: undefined },
] as const;
type SinceChoice = (typeof SINCE_CHOICES)[number]["value"];

/** "a, b" → ["a","b"]; nothing → undefined (no filter). */
function values(text: string): string[] | undefined {
  const list = text.split(",").map((s) => s.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

export default function EventsPage() {
  const env = useEnv();
  const [type, setType] = useState<EventType | "">("");
  const [action, setAction] = useState("");
  const [object, setObject] = useState("");
  const [label, setLabel] = useState("");
  const [sinceChoice, setSinceChoice] = useState<SinceChoice>("live");
  const [custom, setCustom] = useState("");
  // Fixed when chosen: a moving "now" would resubscribe at every render.
  const [since, setSince] = useState<number | undefined>(undefined);
  const [paused, setPaused] = useState(false);

  const texts = useDebounced({ action, object, label }, 300);
  const filters = useMemo((): Omit<EventsParamsInput, "since"> => {
    const f: Omit<EventsParamsInput, "since"> = {};
    if (type) f.type = [type];
    const a = values(texts.action);
    const o = values(texts.object);
    const l = values(texts.label);
    if (a) f.action = a;
    if (o) f.object = o;
    if (l) f.label = l;
    return f;
  }, [type, texts.action, texts.object, texts.label]);

  const { rows, status, reason, error, truncated } = useEventStream(filters, since, paused);

  const chooseSince = (value: SinceChoice) => {
    setSinceChoice(value);
    const choice = SINCE_CHOICES.find((c) => c.value === value);
    if (value === "custom") setSince(custom ? Date.parse(custom) / 1000 : undefined);
    else setSince(choice?.seconds === undefined ? undefined : Date.now() / 1000 - choice.seconds);
  };

  const indicator = paused ? "Paused" : status === "live" ? "Live" : status === "connecting" ? "Connecting…" : status === "reconnecting" ? "Reconnecting…" : `Not live${reason ? `: ${reason}` : ""}`;

  return (
    <section aria-labelledby="events-title">
      <div className="page-head">
        <h1 id="events-title">Events</h1>
        <div className="filters events-filters">
          <select aria-label="Type" value={type} onChange={(e) => setType(e.target.value as EventType | "")}>
            <option value="">All types</option>
            {eventTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
          <input type="search" aria-label="Action" placeholder="Action (start, die…)" value={action} onChange={(e) => setAction(e.target.value)} />
          <input type="search" aria-label="Object" placeholder="Object (name or id)" value={object} onChange={(e) => setObject(e.target.value)} />
          <input type="search" aria-label="Label" placeholder="Label (key or key=value)" value={label} onChange={(e) => setLabel(e.target.value)} />
          <select aria-label="Since" value={sinceChoice} onChange={(e) => chooseSince(e.target.value as SinceChoice)}>
            {SINCE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {sinceChoice === "custom" && (
            <input
              type="datetime-local"
              aria-label="Since time"
              step={1}
              value={custom}
              onChange={(e) => {
                setCustom(e.target.value);
                const ms = Date.parse(e.target.value);
                setSince(Number.isFinite(ms) ? ms / 1000 : undefined);
              }}
            />
          )}
          <button type="button" aria-pressed={paused} onClick={() => setPaused((p) => !p)}>
            {paused ? "Resume" : "Pause"}
          </button>
        </div>
      </div>
      <p className="muted small" role="status" aria-label="Stream state" data-state={paused ? "paused" : status}>
        <span className={`live-dot ${status === "live" && !paused ? "on" : ""}`} aria-hidden="true" /> {indicator}
        {truncated ? " · only the newest past events are shown" : ""}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <EventsTable env={env} rows={rows} />
    </section>
  );
}
