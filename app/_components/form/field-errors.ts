/**
 * Forms whose checks give a list of errors, each naming its field by path
 * (`memory`, `ports[0].hostPort`) in a message that starts with that path, so
 * it reads on its own. react-hook-form keeps them by top-level field (its
 * `types` hold every message, with `criteriaMode: "all"`); these helpers read
 * them back by path. One field per top-level key is also what "touched" means.
 */
import type { FieldErrors, FieldValues } from "react-hook-form";
import { z } from "zod";

export interface NamedError {
  field: string;
  message: string;
}

/** Where an error without a field is kept (react-hook-form reserves `root`). */
export const FORM_LEVEL = "_form";

/** The top-level key of a path: `ports[0].hostPort` → `ports`. */
export const topOf = (field: string) => field.split(/[.[]/)[0] || FORM_LEVEL;

/**
 * A zod schema over the whole value whose issues are `check`'s errors, each at
 * its field's top-level key: the shape @hookform/resolvers/zod turns into field
 * errors. `check` sees the value as typed, so rules that span fields run even
 * while another field is still wrong (an object schema's refinements would not).
 */
export function namedErrorSchema<T extends FieldValues>(check: (value: T) => NamedError[]) {
  return z.custom<T>().superRefine((value, ctx) => {
    for (const e of check(value)) ctx.addIssue({ code: "custom", path: [topOf(e.field)], message: e.message });
  });
}

function messagesAt(errors: FieldErrors, top: string): string[] {
  const e = (errors as Record<string, { message?: unknown; types?: Record<string, unknown> } | undefined>)[top];
  if (!e) return [];
  const all = e.types ? Object.values(e.types).flat() : [e.message];
  return all.filter((m): m is string => typeof m === "string");
}

const names = (field: string, message: string) => message === field || message.startsWith(`${field}: `);
const under = (prefix: string, message: string) =>
  names(prefix, message) || message.startsWith(`${prefix}[`) || message.startsWith(`${prefix}.`);

/** The messages for exactly this path. */
export function messagesFor(errors: FieldErrors, field: string): string[] {
  return messagesAt(errors, topOf(field)).filter((m) => names(field, m));
}

/** The messages for this path and everything under it (`ports[1]`, `ports[1].hostPort`…). */
export function messagesUnder(errors: FieldErrors, prefix: string): string[] {
  return messagesAt(errors, topOf(prefix)).filter((m) => under(prefix, m));
}

/** Every message, in field order, of the top-level fields `keep` accepts. */
export function allMessages(errors: FieldErrors, keep: (top: string) => boolean = () => true): string[] {
  return Object.keys(errors).filter(keep).flatMap((top) => messagesAt(errors, top));
}
