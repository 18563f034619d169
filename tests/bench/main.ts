/**
 * The benchmark runner: starts Berth against the private engine set up by
 * run.sh, runs every measure (or those named on the command line), prints a
 * table with ratios, and writes JSON to $BENCH_OUT when set.
 */
import fs from "node:fs";
import { Berth } from "./berth";
import type { Measure, Row } from "./measure";
import { eventsLatency } from "./measures/events";
import { largeList } from "./measures/list";
import { logsFloodMemory, logsHistory, logsLatency, logsThroughput } from "./measures/logs";
import { imageTransfer } from "./measures/images";
import { stackDeploy } from "./measures/stack-deploy";
import { idleMemory } from "./measures/memory";
import { statsAccuracy, statsCost } from "./measures/stats";
import { streamsMemory } from "./measures/streams-memory";

// Idle memory first: it must see a fresh Berth, before any flood has grown a heap.
const measures: Measure[] = [idleMemory, streamsMemory, eventsLatency, logsThroughput, logsLatency, logsFloodMemory, logsHistory, largeList, statsCost, statsAccuracy, imageTransfer, stackDeploy];

function fmt(n: number | null): string {
  if (n === null || Number.isNaN(n)) return "—";
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString("en-US");
  return n.toFixed(Math.abs(n) >= 10 ? 1 : 2);
}

async function main() {
  const only = process.argv.slice(2);
  const workDir = process.env.BERTH_TEST_DIR!;
  const berth = await Berth.start(workDir);
  const results: { measure: string; rows: Row[]; error?: string }[] = [];
  try {
    for (const m of measures.filter((m) => !only.length || only.some((o) => m.name.includes(o)))) {
      process.stderr.write(`bench: ${m.name}…\n`);
      try {
        results.push({ measure: m.name, rows: await m.run(berth, workDir) });
      } catch (err) {
        results.push({ measure: m.name, rows: [], error: (err as Error).message });
      }
    }
  } finally {
    await berth.stop();
  }

  const lines = [["measure", "metric", "raw engine", "Berth", "Berth/raw", "goal", ""].join(" | ")];
  for (const r of results) {
    if (r.error) lines.push(`${r.measure} | ERROR: ${r.error}`);
    for (const row of r.rows) {
      // A raw figure at or below zero is clock noise (µs apart): no meaningful ratio.
      const ratio = row.raw && row.raw > 0.01 ? row.berth / row.raw : null;
      lines.push(
        [r.measure, `${row.metric} (${row.unit})`, fmt(row.raw), fmt(row.berth), ratio === null ? "—" : `${ratio.toFixed(2)}×`, row.goal ?? "", row.met === undefined ? "" : row.met ? "met" : "NOT MET"].join(" | "),
      );
    }
  }
  console.log(lines.join("\n"));
  if (process.env.BENCH_OUT) {
    fs.writeFileSync(process.env.BENCH_OUT, JSON.stringify({ at: new Date().toISOString(), results }, null, 2));
    console.log(`wrote ${process.env.BENCH_OUT}`);
  }
  if (results.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
