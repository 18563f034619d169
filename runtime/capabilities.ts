/**
 * Every capability the runtime serves. Adding one is a folder with its
 * protocol.ts and index.ts, its protocol in protocol/methods.ts, and a line here.
 */
import type { CapabilityFactory } from "./capability";
import { containersCapability } from "./containers/index";
import { engineCapability } from "./engine/index";
import { eventsCapability } from "./events/index";
import { execCapability } from "./exec/index";
import { logsCapability } from "./logs/index";
import { networksCapability } from "./networks/index";
import { registriesCapability } from "./registries/index";
import { statsCapability } from "./stats/index";
import { tasksCapability } from "./tasks/index";
import { volumesCapability } from "./volumes/index";
import { transferCapability } from "./transfer/index";
import { imagesCapability } from "./images/index";
import { filesCapability } from "./files/index";
import { systemCapability } from "./system/index";
import { stacksCapability } from "./stacks/index";

export const capabilities: readonly CapabilityFactory[] = [engineCapability, containersCapability, logsCapability, eventsCapability, execCapability, statsCapability, tasksCapability, volumesCapability, networksCapability, transferCapability, imagesCapability, registriesCapability, filesCapability, systemCapability, stacksCapability];
