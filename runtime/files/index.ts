/**
 * The files capability (`docker cp` and volume browsing): listing a directory
 * of a container or a volume, a volume's folder operations (mkdir, rename,
 * delete, run in its helper container with an argv), and the download/upload
 * routes (routes.ts). Volume helpers: volume-helper.ts.
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { RuntimeFailure } from "../engine/errors";
import { listDirectory, statDir, statPath } from "./archive";
import { inVolume, normalisedOrThrow, PathError } from "./paths";
import { FILES_CONTAINER_PREFIX, FILES_VOLUME_PREFIX, filesMethods, type FilesResults } from "./protocol";
import { containerView, filesRoutes, insideVolume, volumeView } from "./routes";
import { execIn, VolumeHelpers } from "./volume-helper";

/** The path of an input, normalised; its refusal names the field. */
function pathOf(raw: string, field: string): string {
  try {
    return normalisedOrThrow(raw, field);
  } catch (err) {
    if (err instanceof PathError) throw new RuntimeFailure({ code: "BAD_REQUEST", field: err.field, message: err.message });
    throw err;
  }
}

function notRoot(path: string, field: string, what: string): void {
  if (path === "/") throw new RuntimeFailure({ code: "BAD_REQUEST", field, message: `${field}: the volume's root folder cannot be ${what}` });
}

export function filesCapability({ docker, dataDir, lookup }: EngineContext): Capability {
  const helpers = new VolumeHelpers(docker, dataDir);
  const nameOf = (id: string) => lookup(id)?.name;

  return defineCapability<typeof filesMethods, FilesResults>({
    name: "files",
    methods: filesMethods,
    handlers: {
      "files.list": async ({ id, path }) => {
        const view = containerView(id, nameOf(id));
        const { dir } = await statDir(docker, id, pathOf(path, "path"), view);
        return listDirectory(docker, id, dir, view);
      },
      "files.volumeList": async ({ id, path }) => {
        const view = volumeView(id);
        const p = inVolume(pathOf(path, "path"));
        return helpers.use(id, "ro", async (helper) => {
          const { dir } = await statDir(docker, helper, p, view);
          if (!insideVolume(dir)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "path", message: `path: ${view.shown(p)} is a link that leads outside the volume` });
          return listDirectory(docker, helper, dir, view);
        });
      },
      "files.volumeMkdir": async ({ id, path }) => {
        const p = pathOf(path, "path");
        notRoot(p, "path", "created");
        await helpers.use(id, "rw", (helper) => execIn(docker, helper, ["mkdir", "-p", "--", inVolume(p)], `path: ${p}`));
        return { id, path: p };
      },
      "files.volumeRename": async ({ id, path, to }) => {
        const from = pathOf(path, "path");
        const dest = pathOf(to, "to");
        notRoot(from, "path", "renamed");
        notRoot(dest, "to", "replaced");
        if (dest === from || dest.startsWith(`${from}/`)) throw new RuntimeFailure({ code: "BAD_REQUEST", field: "to", message: `to: ${dest} is inside ${from}` });
        const view = volumeView(id);
        await helpers.use(id, "rw", async (helper) => {
          await statPath(docker, helper, inVolume(from), view, "path");
          // `mv a b` moves into b when b is a folder: refuse an existing destination instead.
          const exists = await statPath(docker, helper, inVolume(dest), view, "to").then(() => true, (err: unknown) => {
            if (err instanceof RuntimeFailure && err.error.code === "NOT_FOUND" && err.error.field === "to") return false;
            throw err;
          });
          if (exists) throw new RuntimeFailure({ code: "CONFLICT", field: "to", message: `to: ${dest} already exists` });
          await execIn(docker, helper, ["mv", "--", inVolume(from), inVolume(dest)], `path: ${from}`);
        });
        return { id, path: from, to: dest };
      },
      "files.volumeDelete": async ({ id, path }) => {
        const p = pathOf(path, "path");
        notRoot(p, "path", "deleted (remove the volume instead)");
        const view = volumeView(id);
        await helpers.use(id, "rw", async (helper) => {
          // Exists (a link is removed itself, never what it points to: rm does not follow it).
          await statPath(docker, helper, inVolume(p), view, "path");
          await execIn(docker, helper, ["rm", "-rf", "--", inVolume(p)], `path: ${p}`);
        });
        return { id, path: p };
      },
      "files.volumeRelease": async ({ id }) => ({ id, helpers: await helpers.releaseVolume(id) }),
    },
    routes: filesRoutes(docker, helpers, { container: FILES_CONTAINER_PREFIX, volume: FILES_VOLUME_PREFIX }, nameOf),
    // Not awaited: an engine that is away must not hold up the runtime's start.
    start: () => {
      void helpers.sweep().then(
        (n) => n > 0 && console.log(`berth runtime: removed ${n} volume helper container(s) left by an earlier run`),
        () => undefined,
      );
    },
    stop: () => helpers.stopAll(),
  });
}
