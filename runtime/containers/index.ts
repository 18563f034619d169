/**
 * The containers capability: the live list, lifecycle actions, the other
 * operations (ops.ts), creating from a RunSpec (create.ts) and the export route.
 */
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { listContainerSummaries } from "../engine/container-summaries";
import { containerAction } from "./actions";
import { containerCreateHandlers } from "./create";
import { exportRoute } from "./export";
import { containerOpsHandlers } from "./ops";
import { containerMethods, type ContainerResults, EXPORT_PREFIX } from "./protocol";

export function containersCapability({ docker, hub, lookup }: EngineContext): Capability {
  return defineCapability<typeof containerMethods, ContainerResults>({
    name: "containers",
    methods: containerMethods,
    handlers: {
      // The hub's list is current while its stream is up; otherwise ask (and fail with the reason).
      "containers.list": async () => (hub.isLive() ? hub.list() : listContainerSummaries(docker)),
      "containers.start": ({ id }) => containerAction(docker, "start", id, {}, lookup),
      "containers.stop": ({ id, timeout }) => containerAction(docker, "stop", id, { timeout }, lookup),
      "containers.restart": ({ id, timeout }) => containerAction(docker, "restart", id, { timeout }, lookup),
      "containers.remove": ({ id, force, volumes }) => containerAction(docker, "remove", id, { force, volumes }, lookup),
      ...containerOpsHandlers(docker, lookup),
      ...containerCreateHandlers(docker, lookup),
    },
    routes: { [EXPORT_PREFIX]: exportRoute(docker, lookup) },
  });
}
