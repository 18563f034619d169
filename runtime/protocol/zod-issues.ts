/**
 * One way to say what is wrong with an input: `field: problem`, the field
 * written as a person reads it (`links[0].container`, `ports[2]`). Used by the
 * runtime's RPC, the tRPC error formatter, stream subscriptions, downloads,
 * forms and the environment checks. Pure, imports nothing.
 */

export interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `["links", 0, "container"]` → `links[0].container`; keys that are not identifiers go in brackets, quoted. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

export interface FieldProblem {
  /** The field, as fieldPath writes it; absent when the issue is about the whole input. */
  field?: string;
  /** `field: problem`, or `whole: problem` / the bare problem when no field is at fault. */
  message: string;
}

/** One issue as a field and a message that names it; `whole` names the input when the issue has no path. */
export function describeIssue(issue: IssueLike, whole?: string): FieldProblem {
  const field = fieldPath(issue.path);
  const shown = field || whole;
  return { ...(field ? { field } : {}), message: shown ? `${shown}: ${issue.message}` : issue.message };
}

/** The first issue of a failed parse (the one a person fixes first). */
export function firstIssue(error: { readonly issues: readonly IssueLike[] }, whole?: string): FieldProblem {
  const issue = error.issues[0] ?? { path: [], message: "is not valid" };
  return describeIssue(issue, whole);
}

/** Every issue, each naming its field, joined with `; `. */
export function describeIssues(error: { readonly issues: readonly IssueLike[] }, whole?: string): string {
  return error.issues.map((i) => describeIssue(i, whole).message).join("; ");
}
