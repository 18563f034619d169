"use client";
/** `docker inspect`, as a collapsible tree or as the raw JSON. */
import { useState } from "react";
import type { ContainerInspectJson, ImageInspectJson } from "~/runtime/containers/types";

function Node({ label, value, depth }: { label: string; value: unknown; depth: number }) {
  if (value !== null && typeof value === "object") {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    return (
      <li>
        <details open={depth < 1}>
          <summary>
            <span className="key">{label}</span> <span className="muted small">{Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`}</span>
          </summary>
          <ul className="tree">
            {entries.map(([k, v]) => (
              <Node key={k} label={k} value={v} depth={depth + 1} />
            ))}
          </ul>
        </details>
      </li>
    );
  }
  return (
    <li>
      <span className="key">{label}</span>: <code className={`v-${value === null ? "null" : typeof value}`}>{JSON.stringify(value)}</code>
    </li>
  );
}

export function InspectTab({ container, image }: { container: ContainerInspectJson; image: ImageInspectJson | null }) {
  const [view, setView] = useState<"tree" | "raw">("tree");
  const [which, setWhich] = useState<"container" | "image">("container");
  const data = which === "container" ? container : image;
  return (
    <div>
      <div className="row" role="group" aria-label="Inspect view">
        <button type="button" aria-pressed={view === "tree"} onClick={() => setView("tree")}>
          Tree
        </button>
        <button type="button" aria-pressed={view === "raw"} onClick={() => setView("raw")}>
          Raw JSON
        </button>
        <select aria-label="Object" value={which} onChange={(e) => setWhich(e.target.value as "container" | "image")}>
          <option value="container">Container</option>
          <option value="image">Image</option>
        </select>
        <code className="muted small">docker {which === "image" ? "image inspect" : "inspect"} {which === "image" ? container.Image.slice(7, 19) : container.Name.slice(1)}</code>
      </div>
      {data === null ? (
        <p className="muted">The image is no longer present.</p>
      ) : view === "raw" ? (
        <pre className="raw" data-testid="inspect-raw">{JSON.stringify(data, null, 2)}</pre>
      ) : (
        <ul className="tree root" data-testid="inspect-tree">
          {Object.entries(data).map(([k, v]) => (
            <Node key={k} label={k} value={v} depth={0} />
          ))}
        </ul>
      )}
    </div>
  );
}
