/**
 * Memory with streams open: the idle-memory measure again, but with live
 * streams held open the whole time: one page on the container list (CPU and
 * Memory columns), one on a busy container's Stats tab, and one Console
 * connected to a shell. Everything the start command leaves running is
 * sampled every 30 s; the goal is a ceiling and a flat line (growth from the
 * first sample, taken after a minute of warm-up, to the last).
 */
import type { Page } from "@playwright/test";
import type { Berth } from "../berth";
import { openBrowser, signedInPage } from "../browser";
import { docker } from "../engine";
import type { Measure } from "../measure";

const GOAL_MB = 250;
const GROWTH_MB = 10;
const SAMPLE_MS = 30_000;
const mb = (bytes: number) => bytes / 1024 / 1024;

function total(berth: Berth): number {
  return berth.processes().reduce((sum, p) => sum + p.rss, 0);
}

async function typeInTerminal(page: Page, text: string) {
  await page.getByRole("region", { name: "Terminal" }).click();
  await page.keyboard.type(text);
  await page.keyboard.press("Enter");
}

export const streamsMemory: Measure = {
  name: "memory with streams open",
  async run(berth: Berth) {
    const busy = "bench-streams-busy";
    const shell = "bench-streams-shell";
    const holdSeconds = Number(process.env.BENCH_STREAMS_SECONDS ?? 600);
    docker("run", "-d", "--name", busy, "busybox", "sh", "-c", "while :; do :; done");
    docker("run", "-d", "--name", shell, "busybox", "sleep", "3600");
    const browser = await openBrowser();
    try {
      const { page: list, env } = await signedInPage(browser, berth);
      await list.goto(`/e/${env}/containers`);
      await list.locator(`[data-container="${busy}"]`).first().waitFor({ timeout: 30_000 });
      await list.getByRole("columnheader", { name: /CPU/ }).first().waitFor({ timeout: 30_000 });

      // The other pages share the list's sign-in (its cookies), each in its own tab.
      const context = await browser.newContext({ baseURL: berth.url, viewport: { width: 1400, height: 900 }, storageState: await list.context().storageState() });
      const stats = await context.newPage();
      await stats.goto(`/e/${env}/containers/${busy}/stats`);
      await stats.getByRole("img", { name: /CPU/ }).first().waitFor({ timeout: 30_000 });

      const terminal = await context.newPage();
      await terminal.goto(`/e/${env}/containers/${shell}/console`);
      // The page's header has its own (network) Connect: the console's is in its form.
      await terminal.getByRole("form", { name: "Console" }).getByRole("button", { name: "Connect", exact: true }).click();
      await terminal.getByRole("status", { name: "Console status" }).filter({ hasText: /^Connected/ }).waitFor({ timeout: 30_000 });
      await typeInTerminal(terminal, "echo streams-ready-$((6*7))");
      await terminal.getByRole("region", { name: "Terminal" }).locator(".xterm-rows").getByText("streams-ready-42").first().waitFor({ timeout: 30_000 });

      // A minute to settle (JIT, first charts, caches) before the first sample.
      await new Promise((r) => setTimeout(r, Math.min(60_000, holdSeconds * 100)));
      const samples: number[] = [total(berth)];
      const end = Date.now() + holdSeconds * 1000;
      while (Date.now() < end) {
        await new Promise((r) => setTimeout(r, Math.min(SAMPLE_MS, end - Date.now())));
        samples.push(total(berth));
        // Keep the console doing something, as a person would now and then.
        await typeInTerminal(terminal, "date");
      }
      const last = samples[samples.length - 1]!;
      const peak = Math.max(...samples);
      const growth = last - samples[0]!;
      const procs = berth.processes();
      return [
        ...procs.map((p) => ({ metric: `RSS of pid ${p.pid} (${p.name}) at the end`, unit: "MB", raw: null, berth: mb(p.rss) })),
        {
          metric: `peak of the ${procs.length} processes over ${holdSeconds} s with list, Stats and Console open`,
          unit: "MB",
          raw: null,
          berth: mb(peak),
          goal: `≤ ${GOAL_MB} MB`,
          met: mb(peak) <= GOAL_MB,
        },
        {
          metric: `growth from the first sample to the last (${samples.length} samples, every ${SAMPLE_MS / 1000} s)`,
          unit: "MB",
          raw: null,
          berth: mb(growth),
          goal: `≤ ${GROWTH_MB} MB`,
          met: mb(growth) <= GROWTH_MB,
        },
      ];
    } finally {
      await browser.close();
      docker("rm", "-f", busy, shell);
    }
  },
};
