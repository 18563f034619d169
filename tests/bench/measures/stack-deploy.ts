/**
 * Stack deploy: the same six-service compose file (nginx ×2 with ports
 * published on 127.0.0.1, redis ×2, busybox ×2 sleeping; one project network;
 * every image already on the engine) deployed by the compose CLI
 * (`docker-compose -p P -f FILE up -d`) and by Berth (tRPC `stacks.create` as
 * the signed-in administrator, followed through `tasks.list` until the deploy
 * task succeeds). Each is timed from the call to "all six running"; runs
 * alternate (after one untimed warm-up of each) and are torn down between runs
 * (`down`), median of BENCH_STACK_RUNS (5). Goal: Berth no slower than the CLI.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { Berth } from "../berth";
import { docker, median } from "../engine";
import type { Measure, Row } from "../measure";
import { freePort } from "../../support/free-port";
import { timed, waitTask } from "../tasks";

const execFileP = promisify(execFile);
const RUNS = Number(process.env.BENCH_STACK_RUNS ?? 5);
const SERVICES = 6;

/** The compose file; the sleepers trap SIGTERM so that `down` does not wait 10 s for each. */
function composeFile(ports: [number, number]): string {
  const sleeper = `    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    networks: [backend]
`;
  return `services:
  web1:
    image: nginx
    ports: ["127.0.0.1:${ports[0]}:80"]
    networks: [backend]
  web2:
    image: nginx
    ports: ["127.0.0.1:${ports[1]}:80"]
    networks: [backend]
  cache1:
    image: redis
    networks: [backend]
  cache2:
    image: redis
    networks: [backend]
  worker1:
${sleeper}  worker2:
${sleeper}networks:
  backend: {}
`;
}

async function compose(project: string, file: string, ...args: string[]): Promise<void> {
  await execFileP("docker-compose", ["-p", project, "-f", file, ...args], { encoding: "utf8", timeout: 300_000 });
}

/** Not timed: the project really runs six containers and both nginx answer on their ports. */
async function checkRunning(project: string, ports: [number, number]): Promise<void> {
  const running = docker("ps", "-q", "--filter", `label=com.docker.compose.project=${project}`, "--filter", "status=running").split("\n").filter(Boolean);
  if (running.length !== SERVICES) throw new Error(`${project}: ${running.length} of ${SERVICES} containers running`);
  for (const port of ports) {
    const body = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text());
    if (!body.includes("Welcome to nginx!")) throw new Error(`${project}: nginx on 127.0.0.1:${port} did not answer`);
  }
}

export const stackDeploy: Measure = {
  name: "stack deploy",
  async run(berth: Berth, workDir: string) {
    const env = await berth.environment();
    const dir = fs.mkdtempSync(path.join(workDir, "bench-stack-"));
    const stamp = process.pid.toString(36);
    const deployed: { project: string; file: string; berth: boolean }[] = [];
    /** Per Berth run (wall clock, s): from the call to the task's start (the dashboard's checks), and the task itself. */
    const before: number[] = [];
    const task: number[] = [];

    async function once(tool: "cli" | "berth", i: number): Promise<number> {
      const ports: [number, number] = [await freePort(), await freePort()];
      const project = `bench-${tool}-${stamp}-${i}`;
      const text = composeFile(ports);
      const file = path.join(dir, `${project}.yaml`);
      fs.writeFileSync(file, text);
      const entry = { project, file, berth: tool === "berth" };
      deployed.push(entry);
      const seconds = await timed(async () => {
        if (tool === "cli") return compose(project, file, "up", "-d");
        const t0 = Date.now();
        const started = (await berth.trpc("stacks.create", { env, name: project, file: text, dotenv: "", pull: "missing" })) as { taskId: string };
        const t = await waitTask(berth, env, started.taskId);
        if (i > 0) {
          before.push((t.startedAt - t0) / 1000);
          task.push(((t.endedAt ?? t.startedAt) - t.startedAt) / 1000);
        }
      });
      await checkRunning(project, ports);
      await tearDown(entry);
      deployed.splice(deployed.indexOf(entry), 1);
      return seconds;
    }

    async function tearDown(d: { project: string; file: string; berth: boolean }): Promise<void> {
      if (d.berth) {
        // Berth's own down also forgets its files, so the next run's name is new to it.
        try {
          await berth.trpc("stacks.down", { env, id: d.project, removeFiles: true });
          return;
        } catch (err) {
          process.stderr.write(`bench: stacks.down ${d.project}: ${(err as Error).message}; using docker-compose down\n`);
        }
      }
      await compose(d.project, d.file, "down", "--timeout", "2");
    }

    try {
      await once("cli", 0);
      await once("berth", 0);
      const cli: number[] = [];
      const ours: number[] = [];
      for (let i = 1; i <= RUNS; i++) {
        cli.push(await once("cli", i));
        ours.push(await once("berth", i));
      }
      const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(" ");
      process.stderr.write(`bench: stack deploy runs (s): cli ${list(cli)}; berth ${list(ours)} (before the task ${list(before)}; task ${list(task)})\n`);
      const ratio = median(ours) / median(cli);
      const what = `${SERVICES}-service stack (nginx ×2 with ports, redis ×2, busybox ×2, one network)`;
      const rows: Row[] = [
        { metric: `deploy of a ${what}, median of ${RUNS}`, unit: "s", raw: median(cli), berth: median(ours) },
        { metric: `fastest of ${RUNS}`, unit: "s", raw: Math.min(...cli), berth: Math.min(...ours) },
        { metric: "Berth: from the call to the task's start (name, security and preflight checks), median", unit: "s", raw: null, berth: median(before) },
        { metric: "Berth: the deploy task itself (startedAt → endedAt), median", unit: "s", raw: null, berth: median(task) },
        { metric: "deploy time, Berth / docker-compose up -d", unit: "×", raw: 1, berth: ratio, goal: "≤ 1.0× the CLI's time", met: ratio <= 1 },
      ];
      return rows;
    } finally {
      for (const d of deployed) await tearDown(d).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
