/**
 * The permission table as the README publishes it, rendered from
 * permissions.ts: the docs cannot drift from the code (tests/unit/permissions-doc.test.ts
 * fails when README.md differs; `npx tsx server/bin/permissions-doc.ts` rewrites it).
 */
import { envRoles, permissionTable, roleLabels, type Permission, type Role } from "./permissions";

export const DOC_START = "<!-- permissions:start (generated from server/api/permissions.ts: npx tsx server/bin/permissions-doc.ts) -->";
export const DOC_END = "<!-- permissions:end -->";

const ROLES: readonly Role[] = ["admin", ...envRoles];

function cell(permission: Permission, role: Role): string {
  const rule = permissionTable[permission].rule;
  switch (rule.scope) {
    case "public":
      return "✓";
    case "self":
      return "own account";
    case "admin":
      return role === "admin" ? "✓" : "—";
    case "team-leader":
      return role === "admin" ? "✓" : "team leaders";
    case "env":
      if (role === "admin" || rule.all.includes(role)) return "✓";
      return rule.own?.includes(role) ? "own" : "—";
  }
}

const escape = (s: string) => s.replace(/\|/g, "\\|");

/** The markdown table (no markers), one row per permission in the table's order. */
export function renderPermissionTable(): string {
  const head = `| Permission | What it allows | ${ROLES.map((r) => roleLabels[r]).join(" | ")} |`;
  const rule = `|---|---|${ROLES.map(() => ":-:").join("|")}|`;
  const rows = (Object.keys(permissionTable) as Permission[]).map((p) => {
    const scope = permissionTable[p].rule.scope;
    const who = scope === "public" ? " (anyone, signed in or not)" : "";
    return `| \`${p}\` | ${escape(permissionTable[p].description)}${who} | ${ROLES.map((r) => cell(p, r)).join(" | ")} |`;
  });
  const legend = [
    "",
    "✓: on every resource of the environment (or everywhere, for Berth-wide permissions). own: only on the resources the user may see: those they own (Private),",
    "those shared with them or their teams (Restricted), and Public ones. own account: their own password, two-factor sign-in, sessions and tokens.",
    "team leaders: the leaders of the team the call names. —: never. Environment roles are granted per environment, to a user or a team; a user acts with the",
    "strongest of their own and their teams' roles there.",
  ];
  return [head, rule, ...rows, ...legend].join("\n");
}

/** README.md with the section between the markers replaced; throws when the markers are missing. */
export function withPermissionTable(readme: string): string {
  const start = readme.indexOf(DOC_START);
  const end = readme.indexOf(DOC_END);
  if (start === -1 || end === -1 || end < start) throw new Error(`README.md has no "${DOC_START}" … "${DOC_END}" section`);
  return `${readme.slice(0, start + DOC_START.length)}\n${renderPermissionTable()}\n${readme.slice(end)}`;
}
