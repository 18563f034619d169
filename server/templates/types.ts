/**
 * App templates as Berth shows them, whatever they came from: the built-in list
 * (public/templates/templates.json, Portainer's v3 format), the lists named in
 * the template sources setting (Portainer v2 or v3, read as they are), and
 * custom templates (the CustomTemplate table). Pure types and zod: app/ imports them.
 */
import { z } from "zod";

export interface TemplateEnvVar {
  name: string;
  label?: string;
  description?: string;
  default?: string;
  /** Portainer's `preset`: the value is fixed and the form does not show the field. */
  preset?: boolean;
  select?: { text: string; value: string; default?: boolean }[];
}

export interface AppTemplate {
  /** `builtin:<id>`, `source:<source index>:<id>`, `custom:<row id>`. */
  id: string;
  source: "builtin" | "source" | "custom";
  /** The source's URL or file (source templates), the owner's name (custom). */
  sourceName?: string;
  type: "container" | "stack";
  title: string;
  description: string;
  note?: string;
  categories: string[];
  logo?: string;
  platform?: string;
  /** Container templates. */
  image?: string;
  /** The container name the template suggests. */
  name?: string;
  command?: string;
  hostname?: string;
  network?: string;
  /** Portainer's `"8080:80/tcp"` or `"80/tcp"`. */
  ports: string[];
  volumes: { container: string; bind?: string; readonly?: boolean }[];
  env: TemplateEnvVar[];
  labels: { name: string; value: string }[];
  privileged?: boolean;
  interactive?: boolean;
  restartPolicy?: string;
  /** A memory limit the template sets (`512m`): the preflight checks the engine has it. */
  memory?: string;
  administratorOnly?: boolean;
  /** Stack templates: whether the compose file can be read (a built-in or custom one always; a remote one when its URL answers). */
  hasStackFile?: boolean;
  /** Stack templates whose file cannot be read: why (e.g. a git repository, which Berth cannot clone). */
  stackFileProblem?: string;
  /** Custom templates: their `{{ VAR }}` variables (the deploy form shows them like env). */
  variables?: { name: string; label: string; defaultValue: string; description: string }[];
  /** Custom templates: who may change it. */
  ownerId?: string | null;
  editable?: boolean;
}

/** What a person fills in on the deploy form. */
export const templateValuesSchema = z.strictObject({
  /** The container's or the stack's name. */
  name: z.string().min(1, "is required").max(63, "must be at most 63 characters"),
  /** Env variables (container templates) or `{{ VAR }}` / `${VAR}` values (stack templates), by name. */
  env: z.record(z.string().max(200), z.string().max(64 * 1024)).default({}),
  /** Container templates: the ports as edited, `"[hostIp:]hostPort:containerPort[/proto]"`. */
  ports: z.array(z.string().max(100)).max(100).optional(),
  /** Container templates: volumes as edited (`bind` absent: a named volume Berth creates). */
  volumes: z.array(z.strictObject({ container: z.string().min(1).max(4096), bind: z.string().max(4096).optional(), readonly: z.boolean().optional() })).max(100).optional(),
});
export type TemplateValues = z.output<typeof templateValuesSchema>;

/** A template source in the settings: a URL or a file on the dashboard's host. */
export const templateSourceSchema = z.strictObject({
  url: z.string().min(1, "is required").max(2048, "must be at most 2048 characters"),
  name: z.string().max(100).optional(),
});
export type TemplateSource = z.output<typeof templateSourceSchema>;

export interface TemplateSourceStatus {
  url: string;
  name?: string;
  ok: boolean;
  /** `2` or `3`. */
  version?: string;
  count: number;
  error?: string;
  /** What was left out or dropped while reading the list (`templates[4].ports[1]: …`). */
  problems?: string[];
}

export const customTemplateVariableSchema = z.strictObject({
  name: z.string().min(1, "is required").max(100).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a variable name: letters, digits and _"),
  label: z.string().max(200).default(""),
  defaultValue: z.string().max(4096).default(""),
  description: z.string().max(2000).default(""),
});

export const customTemplateInputSchema = z.strictObject({
  title: z.string().trim().min(1, "is required").max(200, "must be at most 200 characters"),
  description: z.string().max(2000).default(""),
  note: z.string().max(8000).default(""),
  logo: z.string().max(2048).default(""),
  categories: z.array(z.string().min(1).max(50)).max(20).default([]),
  content: z.string().min(1, "is required").max(512 * 1024, "must be at most 512 KB"),
  variables: z.array(customTemplateVariableSchema).max(100).default([]),
});
export type CustomTemplateInput = z.output<typeof customTemplateInputSchema>;
