"use client";
/**
 * A prune's choices in Docker's words (dangling only or all unused images,
 * anonymous or all volumes, unshared or all build cache, volumes in a system
 * prune or not) and the docker command each choice corresponds to.
 */
import type { PruneOptions } from "~/runtime/system/protocol";
import type { PruneKind } from "./prune-kind";

function Choice<K extends keyof PruneOptions>({
  legend,
  field,
  choices,
  options,
  onChange,
  disabled,
}: {
  legend: string;
  field: K;
  choices: { value: PruneOptions[K]; label: string }[];
  options: PruneOptions;
  onChange: (o: PruneOptions) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset className="row" disabled={disabled}>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={String(c.value)} className="check">
          <input type="radio" name={`prune-${field}`} checked={options[field] === c.value} onChange={() => onChange({ ...options, [field]: c.value })} /> {c.label}
        </label>
      ))}
    </fieldset>
  );
}

export function PruneOptionsFields({ kind, options, onChange, disabled }: { kind: PruneKind; options: PruneOptions; onChange: (o: PruneOptions) => void; disabled?: boolean }) {
  const images = (
    <Choice legend="Images" field="images" options={options} onChange={onChange} disabled={disabled} choices={[{ value: "dangling", label: "Dangling only" }, { value: "all", label: "All unused" }]} />
  );
  const volumes = (
    <Choice legend="Volumes" field="volumes" options={options} onChange={onChange} disabled={disabled} choices={[{ value: "anonymous", label: "Anonymous only" }, { value: "all", label: "All unused" }]} />
  );
  const buildCache = (
    <Choice legend="Build cache" field="buildCache" options={options} onChange={onChange} disabled={disabled} choices={[{ value: "dangling", label: "Unshared only" }, { value: "all", label: "All unused" }]} />
  );
  switch (kind) {
    case "images":
      return images;
    case "volumes":
      return volumes;
    case "build-cache":
      return buildCache;
    case "system":
      return (
        <>
          <p className="muted small">Stopped containers, unused networks, images and build cache{options.includeVolumes ? ", and volumes" : ""}.</p>
          {images}
          <label className="check">
            <input type="checkbox" checked={options.includeVolumes} disabled={disabled} onChange={(e) => onChange({ ...options, includeVolumes: e.target.checked })} /> Include volumes
          </label>
          {options.includeVolumes && volumes}
          {buildCache}
        </>
      );
    case "containers":
      return <p className="muted small">Every container that is not running (created, exited or dead).</p>;
    case "networks":
      return <p className="muted small">Networks no container is connected to; bridge, host and none are never removed.</p>;
  }
}

/** The docker command the chosen prune corresponds to. */
export function pruneCli(kind: PruneKind, o: PruneOptions): string {
  switch (kind) {
    case "images":
      return `docker image prune${o.images === "all" ? " --all" : ""}`;
    case "volumes":
      return `docker volume prune${o.volumes === "all" ? " --all" : ""}`;
    case "networks":
      return "docker network prune";
    case "containers":
      return "docker container prune";
    case "build-cache":
      return `docker builder prune${o.buildCache === "all" ? " --all" : ""}`;
    case "system":
      return `docker system prune${o.images === "all" ? " --all" : ""}${o.includeVolumes ? " --volumes" : ""}`;
  }
}
