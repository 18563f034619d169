/**
 * The system capability: `docker info` + `docker version` (system.info),
 * `docker system df -v` (system.df), and prune with a preview
 * (system.prunePreview: the exact items and the bytes they free) and a
 * confirm that removes exactly those items by id (system.pruneConfirm).
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { engineCall as engine } from "../engine/errors";
import { diskUsage } from "./df";
import { pruneEngine, pruneFacts, rawDf } from "./engine";
import { systemInfo } from "./info";
import { runPrune } from "./prune-confirm";
import { planPrune } from "./prune-plan";
import { systemMethods, type SystemResults } from "./protocol";


export function systemCapability({ docker }: EngineContext): Capability {
  /** One confirm at a time: two overlapping prunes would each re-check against the other's half-done work. */
  let confirming: Promise<unknown> = Promise.resolve();

  return defineCapability<typeof systemMethods, SystemResults>({
    name: "system",
    methods: systemMethods,
    handlers: {
      "system.info": () =>
        engine("docker info", async () => {
          const [info, version] = await Promise.all([docker.info() as Promise<Record<string, unknown>>, docker.version() as unknown as Promise<Record<string, unknown>>]);
          return systemInfo(info, version);
        }),

      "system.df": () => engine("system df", async () => diskUsage(await rawDf(docker))),

      "system.prunePreview": ({ kind, options }) => engine(`${kind} prune preview`, async () => planPrune(kind, options, await pruneFacts(docker, kind, options))),

      "system.pruneConfirm": (input) => {
        const run = confirming.then(() => engine(`${input.kind} prune`, () => runPrune(input, pruneEngine(docker, new Set(input.items.map((i) => i.type))))));
        confirming = run.catch(() => undefined);
        return run;
      },
    },
  });
}
