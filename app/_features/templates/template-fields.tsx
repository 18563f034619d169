"use client";
/**
 * The deploy form's editable parts: the template's variables (label,
 * description, default; a select as a select; presets not shown), its ports
 * as rows (Host IP, Host port, Container port, Protocol) and its volumes
 * (container path, named volume or bind mount, read-only).
 */
import type { TemplateEnvVar } from "~/server/templates/types";
import type { PortRow, VolumeRow } from "./template-form-model";

export function VariableFields({ vars, values, onChange }: { vars: TemplateEnvVar[]; values: Record<string, string>; onChange: (v: Record<string, string>) => void }) {
  const shown = vars.filter((v) => !v.preset);
  if (shown.length === 0) return null;
  return (
    <fieldset className="form-section">
      <legend>Variables</legend>
      <div className="form-grid">
        {shown.map((v) => {
          const label = v.label || v.name;
          const id = `var-${v.name}`;
          return (
            <div className="field" key={v.name}>
              <label htmlFor={id}>{label}</label>
              {v.select?.length ? (
                <select id={id} value={values[v.name] ?? ""} onChange={(e) => onChange({ ...values, [v.name]: e.target.value })}>
                  {v.select.map((o) => (
                    <option key={o.value} value={o.value}>{o.text}</option>
                  ))}
                </select>
              ) : (
                <input id={id} value={values[v.name] ?? ""} placeholder={v.default} onChange={(e) => onChange({ ...values, [v.name]: e.target.value })} aria-describedby={v.description ? `${id}-hint` : undefined} />
              )}
              {v.description && <small id={`${id}-hint`} className="muted">{v.description}</small>}
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function PortRows({ rows, onChange }: { rows: PortRow[]; onChange: (rows: PortRow[]) => void }) {
  const set = (i: number, patch: Partial<PortRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="form-section">
      <legend>Ports</legend>
      {rows.length === 0 && <p className="small muted">No ports published.</p>}
      {rows.map((r, i) => (
        <div className="row" role="group" aria-label={`Port ${i + 1}`} key={i}>
          <input aria-label="Host IP" placeholder="all addresses" value={r.hostIp} onChange={(e) => set(i, { hostIp: e.target.value })} size={14} />
          <input aria-label="Host port" placeholder="any free port" value={r.hostPort} onChange={(e) => set(i, { hostPort: e.target.value })} size={8} inputMode="numeric" />
          <span aria-hidden="true">→</span>
          <input aria-label="Container port" value={r.containerPort} onChange={(e) => set(i, { containerPort: e.target.value })} size={8} inputMode="numeric" />
          <select aria-label="Protocol" value={r.protocol} onChange={(e) => set(i, { protocol: e.target.value as PortRow["protocol"] })}>
            <option value="tcp">tcp</option>
            <option value="udp">udp</option>
          </select>
          <button type="button" aria-label={`Remove port ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { hostIp: "", hostPort: "", containerPort: "", protocol: "tcp" }])}>
        Add port
      </button>
    </fieldset>
  );
}

export function VolumeRows({ rows, onChange }: { rows: VolumeRow[]; onChange: (rows: VolumeRow[]) => void }) {
  const set = (i: number, patch: Partial<VolumeRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="form-section">
      <legend>Volumes</legend>
      {rows.length === 0 && <p className="small muted">No volumes.</p>}
      {rows.map((r, i) => (
        <div className="row" role="group" aria-label={`Volume ${i + 1}`} key={i}>
          <input aria-label="Container path" value={r.container} onChange={(e) => set(i, { container: e.target.value })} size={28} />
          <select aria-label="Volume type" value={r.kind} onChange={(e) => set(i, { kind: e.target.value as VolumeRow["kind"] })}>
            <option value="named">Named volume</option>
            <option value="bind">Bind mount</option>
          </select>
          {r.kind === "bind" && <input aria-label="Host path" value={r.bind} onChange={(e) => set(i, { bind: e.target.value })} size={28} />}
          <label className="check">
            <input type="checkbox" checked={r.readonly} onChange={(e) => set(i, { readonly: e.target.checked })} /> Read-only
          </label>
          <button type="button" aria-label={`Remove volume ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { container: "", kind: "named", bind: "", readonly: false }])}>
        Add volume
      </button>
    </fieldset>
  );
}
