/** Rewrites README.md's "Roles and permissions" table from server/api/permissions.ts: `npx tsx server/bin/permissions-doc.ts`. */
import fs from "node:fs";
import path from "node:path";
import { withPermissionTable } from "../api/permission-doc";

const file = path.resolve(import.meta.dirname, "../../README.md");
const before = fs.readFileSync(file, "utf8");
const after = withPermissionTable(before);
if (after === before) console.log("README.md: the permission table is up to date");
else {
  fs.writeFileSync(file, after);
  console.log("README.md: the permission table was rewritten");
}
