/**
 * Idle memory: the resident memory of every process the start command leaves
 * running, after a page has signed in, opened the container list, a container's
 * logs and the audit page, and then stayed open, idle, for a minute. Runs
 * first, on a fresh Berth, before any flood has grown a heap.
 */
import type { Berth } from "../berth";
import { openBrowser, signedInPage } from "../browser";
import { docker } from "../engine";
import type { Measure } from "../measure";

const GOAL_MB = 200;
const mb = (bytes: number) => bytes / 1024 / 1024;

export const idleMemory: Measure = {
  name: "idle memory",
  async run(berth: Berth) {
    const name = "bench-idle";
    const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
    docker("run", "-d", "--name", name, "busybox", "sh", "-c", "seq 1 50 | sed 's/^/idle line /'; exec sleep 3600");
    const browser = await openBrowser();
    try {
      const { page, env } = await signedInPage(browser, berth);
      await page.goto(`/e/${env}/containers`);
      await page.locator(`[data-container="${name}"]`).first().waitFor({ timeout: 30_000 });
      await page.goto(`/e/${env}/containers/${name}/logs`);
      await page.getByText("idle line 50").first().waitFor({ timeout: 30_000 });
      await page.goto("/audit");
      await page.getByText("Audit", { exact: false }).first().waitFor({ timeout: 30_000 });
      await new Promise((r) => setTimeout(r, idleSeconds * 1000));
      const procs = berth.processes();
      const total = procs.reduce((sum, p) => sum + p.rss, 0);
      return [
        ...procs.map((p) => ({ metric: `RSS of pid ${p.pid} (${p.name})`, unit: "MB", raw: null, berth: mb(p.rss) })),
        {
          metric: `total of the ${procs.length} processes after ${idleSeconds} s idle`,
          unit: "MB",
          raw: null,
          berth: mb(total),
          goal: `≤ ${GOAL_MB} MB`,
          met: mb(total) <= GOAL_MB,
        },
        // For the record: RSS counts the node binary's pages once per process; PSS shares them out.
        { metric: "same, proportional (PSS)", unit: "MB", raw: null, berth: mb(procs.reduce((sum, p) => sum + p.pss, 0)) },
      ];
    } finally {
      await browser.close();
      docker("rm", "-f", name);
    }
  },
};
