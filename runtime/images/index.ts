/**
 * The images capability: `docker images`, `image inspect` (with history and the
 * containers using it), `tag`, `rmi`, and the streams `save`, `load`, `import`
 * and `build` (routes.ts). Pull, push and search are runtime/transfer's.
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { routeWithMethods } from "../server";
import { BUILD_ROUTE, IMPORT_ROUTE, imagesMethods, type ImagesResults, LOAD_ROUTE, SAVE_ROUTE } from "./protocol";
import { inspectImage, listImages, removeImage, tagImage } from "./read";
import { buildRoute, importRoute, loadRoute, saveRoute } from "./routes";

export function imagesCapability(ctx: EngineContext): Capability {
  const { docker } = ctx;
  return defineCapability<typeof imagesMethods, ImagesResults>({
    name: "images",
    methods: imagesMethods,
    handlers: {
      "images.list": () => listImages(ctx),
      "images.inspect": ({ id }) => inspectImage(ctx, id),
      "images.tag": ({ id, repository, tag }) => tagImage(docker, id, repository, tag),
      "images.remove": ({ id, force, noprune }) => removeImage(docker, id, force, noprune),
    },
    routes: {
      [SAVE_ROUTE]: saveRoute(docker),
      [LOAD_ROUTE]: routeWithMethods(["PUT"], loadRoute(docker)),
      [IMPORT_ROUTE]: routeWithMethods(["PUT"], importRoute(docker)),
      [BUILD_ROUTE]: routeWithMethods(["PUT"], buildRoute(docker)),
    },
  });
}
