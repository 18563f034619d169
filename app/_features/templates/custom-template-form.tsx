"use client";
/**
 * Write or change a custom template: title, description, note, logo URL,
 * categories, the compose file (YAML editor) with `{{ VAR }}` variables, and
 * the variables' rows (name, label, default value, description) the deploy
 * form asks for. Delete is offered when editing one's own template.
 */
import { useId, useState } from "react";
import type { CustomTemplateInput } from "~/server/templates/types";
import { YamlEditor } from "../stacks/yaml-editor";

export interface VariableRow {
  name: string;
  label: string;
  defaultValue: string;
  description: string;
}

export interface CustomTemplateDraft {
  title: string;
  description: string;
  note: string;
  logo: string;
  categories: string;
  content: string;
  variables: VariableRow[];
}

export const emptyDraft: CustomTemplateDraft = {
  title: "",
  description: "",
  note: "",
  logo: "",
  categories: "",
  content: "services:\n  web:\n    image: nginx:latest\n    ports:\n      - \"{{ PORT }}:80\"\n",
  variables: [{ name: "PORT", label: "Host port", defaultValue: "8080", description: "" }],
};

export function toInput(d: CustomTemplateDraft): CustomTemplateInput {
  return {
    title: d.title,
    description: d.description,
    note: d.note,
    logo: d.logo.trim(),
    categories: d.categories.split(",").map((c) => c.trim()).filter(Boolean),
    content: d.content,
    variables: d.variables.filter((v) => v.name.trim()).map((v) => ({ ...v, name: v.name.trim() })),
  };
}

export function CustomTemplateForm({
  initial,
  busy,
  error,
  submitLabel,
  onSubmit,
}: {
  initial: CustomTemplateDraft;
  busy: boolean;
  error?: string;
  submitLabel: string;
  onSubmit: (d: CustomTemplateDraft) => void;
}) {
  const [d, setD] = useState(initial);
  const uid = useId();
  const text = (key: "title" | "description" | "note" | "logo" | "categories", label: string, hint?: string) => (
    <div className="field">
      <label htmlFor={`${uid}-${key}`}>{label}</label>
      {key === "note" || key === "description" ? (
        <textarea id={`${uid}-${key}`} rows={2} value={d[key]} onChange={(e) => setD({ ...d, [key]: e.target.value })} />
      ) : (
        <input id={`${uid}-${key}`} value={d[key]} onChange={(e) => setD({ ...d, [key]: e.target.value })} required={key === "title"} />
      )}
      {hint && <small className="muted">{hint}</small>}
    </div>
  );
  const setVar = (i: number, patch: Partial<VariableRow>) => setD({ ...d, variables: d.variables.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  return (
    <form
      aria-label="Custom template"
      className="create-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(d);
      }}
    >
      {text("title", "Title")}
      {text("description", "Description")}
      {text("note", "Note")}
      {text("logo", "Logo URL")}
      {text("categories", "Categories", "Separated by commas")}
      <div className="field">
        <span>Compose file</span>
        <small className="muted">Variables are written {"{{ NAME }}"}; the deploy form asks for them.</small>
        <YamlEditor initial={initial.content} onChange={(content) => setD((cur) => ({ ...cur, content }))} label="Compose file" />
      </div>
      <fieldset className="form-section">
        <legend>Variables</legend>
        {d.variables.map((v, i) => (
          <div className="row" role="group" aria-label={`Variable ${i + 1}`} key={i}>
            <input aria-label="Variable name" value={v.name} onChange={(e) => setVar(i, { name: e.target.value })} size={14} />
            <input aria-label="Variable label" value={v.label} onChange={(e) => setVar(i, { label: e.target.value })} size={16} />
            <input aria-label="Default value" value={v.defaultValue} onChange={(e) => setVar(i, { defaultValue: e.target.value })} size={14} />
            <input aria-label="Variable description" value={v.description} onChange={(e) => setVar(i, { description: e.target.value })} size={24} />
            <button type="button" aria-label={`Remove variable ${i + 1}`} onClick={() => setD({ ...d, variables: d.variables.filter((_, j) => j !== i) })}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" onClick={() => setD({ ...d, variables: [...d.variables, { name: "", label: "", defaultValue: "", description: "" }] })}>
          Add variable
        </button>
      </fieldset>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : submitLabel}
        </button>
      </div>
    </form>
  );
}
