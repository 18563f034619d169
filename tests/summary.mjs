// Adds up the runners' JSON reports and prints one closing line:
// "berth: N passed, N failed, N skipped". Stages that failed without a report
// (typecheck, lint, build, engine start) count as one failure each.
import fs from "node:fs";
import path from "node:path";

const [dir, ...failedStages] = process.argv.slice(2);
let passed = 0, failed = 0, skipped = 0;
const seen = [];

for (const name of ["unit", "integration"]) {
  const file = path.join(dir, `${name}.json`);
  if (!fs.existsSync(file)) continue;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  seen.push(name);
}
const e2e = path.join(dir, "e2e.json");
if (fs.existsSync(e2e)) {
  const s = JSON.parse(fs.readFileSync(e2e, "utf8")).stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
  skipped += s.skipped;
  seen.push("e2e");
}
const reportless = failedStages.filter((s) => !seen.includes(s));
failed += reportless.length;
if (reportless.length) console.log(`failed stages: ${reportless.join(", ")}`);
console.log(`berth: ${passed} passed, ${failed} failed, ${skipped} skipped`);
// A skipped test is not a pass: the suite must run everything it has.
process.exit(failed > 0 || skipped > 0 || passed === 0 ? 1 : 0);
