/**
 * The registries capability: `docker login` through the engine, and browsing
 * a registry's v2 API from the runtime host. Credentials arrive in each call's
 * `auth` and are never kept, logged or answered.
 */
import type Docker from "dockerode";
import { type Capability, defineCapability, type EngineContext } from "../capability";
import { RuntimeFailure, toRuntimeError } from "../engine/errors";
import { serverAddress } from "./address";
import { catalog, deleteTag, tags } from "./browse";
import { registriesMethods, type RegistriesResults } from "./protocol";
import { type Endpoint, RegistrySession } from "./v2-client";

/** Below the method's deadline, so the runtime answers in its own words first. */
const CALL_BUDGET_MS = 35_000;

function session(input: Endpoint, budgetMs = CALL_BUDGET_MS): RegistrySession {
  return new RegistrySession(input, AbortSignal.timeout(budgetMs));
}

/**
 * `docker login`: the engine's /auth checks the credentials the way a pull
 * would use them. Without credentials there is nothing to log in with, so the
 * runtime checks that the registry's /v2/ answers anonymously.
 */
async function login(docker: Docker, input: Endpoint): Promise<RegistriesResults["registries.login"]> {
  if (!input.auth) {
    const s = session(input);
    const res = await s.request("/v2/", { scope: "", what: "the API root" });
    if (res.status === 200) return { ok: true, anonymous: true, message: `registry ${input.url} answers without credentials` };
    throw new RuntimeFailure({ code: "INTERNAL", message: `registry ${input.url} answered /v2/ with ${RegistrySession.errorText(res)}` });
  }
  try {
    const r = (await docker.checkAuth({ ...input.auth, serveraddress: serverAddress(input.url) })) as { Status?: unknown };
    // The answer's IdentityToken is a credential: it is not passed on.
    return { ok: true, anonymous: false, message: typeof r?.Status === "string" && r.Status ? r.Status : "Login Succeeded" };
  } catch (err) {
    const e = err as { statusCode?: number };
    const mapped = toRuntimeError(err, `registry ${input.url}`);
    // Engines before 23 answer a refused login with 500 and the registry's status in the text.
    if (e?.statusCode === 401 || /status: 401|unauthorized|incorrect username or password/i.test(mapped.message)) {
      throw new RuntimeFailure({ ...mapped, code: "UNAUTHORIZED", message: `registry ${input.url} refused the credentials (the user name or password is wrong): ${mapped.message.replace(`registry ${input.url}: `, "")}` });
    }
    // The engine could not reach the registry: its own words ("connection refused", "server gave HTTP response to HTTPS client").
    if (e?.statusCode === 500 && /dial tcp|connection refused|no such host|timeout|HTTP response to HTTPS client|x509/i.test(mapped.message)) {
      const hint = /HTTP response to HTTPS client/i.test(mapped.message) ? ` (a plain-HTTP registry must be listed in the engine's "insecure-registries", daemon.json)` : "";
      throw new RuntimeFailure({ ...mapped, code: "ENGINE_UNREACHABLE", message: `${mapped.message}${hint}` });
    }
    throw new RuntimeFailure(mapped);
  }
}

export function registriesCapability(ctx: EngineContext): Capability {
  return defineCapability<typeof registriesMethods, RegistriesResults>({
    name: "registries",
    methods: registriesMethods,
    handlers: {
      "registries.login": (input) => login(ctx.docker, input),
      "registries.catalog": (input) => catalog(session(input, 55_000)),
      "registries.tags": (input) => tags(session(input, 55_000), input.repository),
      "registries.deleteTag": (input) => deleteTag(session(input), input.repository, input.tag),
    },
  });
}

