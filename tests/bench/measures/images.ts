/**
 * Image transfer: the same image pulled from the test registry by the raw
 * engine (`docker pull`) and by Berth (a task started through tRPC, followed
 * until it ends), and the same `docker save` tar loaded by `docker load` and by
 * Berth's upload route (browser → dashboard → runtime → engine, piped). Each
 * is timed from the request to the image being there; the median of three
 * runs, alternating raw and Berth so neither gets a warmer cache. Also the
 * runtime's and dashboard's resident memory growth while Berth loads a tar
 * larger than the goal: uploads are piped, never held.
 */
import fs from "node:fs";
import path from "node:path";
import type { Berth } from "../berth";
import { docker, dockerAsync, median } from "../engine";
import type { Measure, Row } from "../measure";
import { timed, waitTask } from "../tasks";

const RUNS = 3;
const SIZE_MB = Number(process.env.BENCH_IMAGE_MB ?? 200);
const mb = (bytes: number) => bytes / 1024 / 1024;

/** A `SIZE_MB` image of random bytes (incompressible, like real layers), built from busybox. */
function buildImage(tag: string, workDir: string): void {
  const dir = fs.mkdtempSync(path.join(workDir, "bench-image-"));
  fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM busybox\nRUN head -c ${SIZE_MB * 1024 * 1024} /dev/urandom > /blob\n`);
  docker("build", "-q", "-t", tag, dir);
  fs.rmSync(dir, { recursive: true, force: true });
}

const removeImage = (ref: string) => {
  try {
    docker("rmi", "-f", ref);
  } catch {
    // not there
  }
};

export const imageTransfer: Measure = {
  name: "image transfer",
  async run(berth: Berth, workDir: string) {
    const registry = process.env.BERTH_TEST_REGISTRY!;
    const ref = `${registry}/bench/blob:latest`;
    const local = "bench-blob:latest";
    const env = await berth.environment();
    buildImage(local, workDir);
    docker("tag", local, ref);
    await dockerAsync("push", ref);
    const tar = path.join(workDir, "bench-blob.tar");
    docker("save", "-o", tar, local);
    const tarBytes = fs.statSync(tar).size;
    removeImage(local);
    try {
      const raw: number[] = [];
      const ours: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        removeImage(ref);
        raw.push(await timed(() => dockerAsync("pull", ref)));
        removeImage(ref);
        ours.push(
          await timed(async () => {
            const started = (await berth.trpc("imageTransfer.pull", { env, reference: ref })) as { taskId: string };
            await waitTask(berth, env, started.taskId, 50);
          }),
        );
      }

      const rawLoad: number[] = [];
      const ourLoad: number[] = [];
      let growth = 0;
      for (let i = 0; i < RUNS; i++) {
        removeImage(local);
        rawLoad.push(await timed(() => dockerAsync("load", "-i", tar)));
        removeImage(local);
        const before = berth.processes().reduce((s, p) => s + p.rss, 0);
        let peak = before;
        const sampler = setInterval(() => (peak = Math.max(peak, berth.processes().reduce((s, p) => s + p.rss, 0))), 100);
        try {
          ourLoad.push(
            await timed(async () => {
              const res = await fetch(`${berth.url}/api/e/${env ?? "local"}/images/load`, {
                method: "POST",
                headers: { "content-type": "application/x-tar", "content-length": String(tarBytes), cookie: berth.cookie, origin: berth.url },
                body: fs.createReadStream(tar) as unknown as BodyInit,
                duplex: "half",
              } as RequestInit);
              if (!res.ok) throw new Error(`load: HTTP ${res.status} ${await res.text()}`);
              await res.arrayBuffer();
            }),
          );
        } finally {
          clearInterval(sampler);
        }
        growth = Math.max(growth, peak - before);
      }
      const size = `${SIZE_MB} MB image`;
      const rows: Row[] = [
        { metric: `pull of a ${size} from the registry, median of ${RUNS}`, unit: "s", raw: median(raw), berth: median(ours) },
        { metric: "pull throughput, Berth / raw", unit: "×", raw: 1, berth: median(raw) / median(ours), goal: "≥ 0.9× raw", met: median(raw) / median(ours) >= 0.9 },
        { metric: `load of its ${Math.round(mb(tarBytes))} MB tar, median of ${RUNS}`, unit: "s", raw: median(rawLoad), berth: median(ourLoad) },
        { metric: "load throughput, Berth / raw", unit: "×", raw: 1, berth: median(rawLoad) / median(ourLoad), goal: "≥ 0.8× raw", met: median(rawLoad) / median(ourLoad) >= 0.8 },
        {
          metric: "Berth's memory growth while loading (dashboard + runtime RSS, peak)",
          unit: "MB",
          raw: null,
          berth: mb(growth),
          goal: `< a quarter of the tar (${Math.round(mb(tarBytes) / 4)} MB)`,
          met: growth < tarBytes / 4,
        },
      ];
      return rows;
    } finally {
      removeImage(ref);
      removeImage(local);
      fs.rmSync(tar, { force: true });
    }
  },
};
