/**
 * Everything the create form checks before Create, as one resolver for
 * react-hook-form: the run-spec schema and its cross-field rules
 * (validateRunSpec over runtime/run-spec/schema.ts), the checks the engine would
 * make (a fixed IP outside the network's subnet, a host port a running container
 * holds), and the lines the form itself could not read.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import type { FieldValues, Resolver } from "react-hook-form";
import type { CreateOptions } from "~/runtime/containers/create-types";
import type { ContainerSummary } from "~/runtime/protocol/index";
import { type FieldError, type RunSpec, validateRunSpec } from "~/runtime/run-spec/index";
import { namedErrorSchema } from "~/app/_components/form/field-errors";
import { heldPortErrors, subnetError } from "./engine-checks";

export interface CreateChecks {
  networks: CreateOptions["networks"];
  containers: ContainerSummary[];
  /** Errors found by the form's own controls (a line that does not parse), by field. */
  local: Record<string, string>;
}

/** The form's values as a spec: a field set back to nothing is left out, as the command leaves the flag out. */
export function compactSpec(values: FieldValues): RunSpec {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as RunSpec;
}

export function createFormErrors(spec: RunSpec, checks: CreateChecks): FieldError[] {
  const v = validateRunSpec(spec);
  const list = v.ok ? [] : [...v.errors];
  const subnet = subnetError(spec, checks.networks);
  if (subnet) list.push(subnet);
  list.push(...heldPortErrors(spec, checks.containers));
  for (const [field, message] of Object.entries(checks.local)) list.push({ field, message });
  return list;
}

/** `checks()` is read on every validation: the networks and the live container list change under the form. */
export function createFormResolver(checks: () => CreateChecks): Resolver<FieldValues> {
  return (values, context, options) => {
    // The form's values are a spec still being typed: checked as such, not as a parsed RunSpec.
    const schema = namedErrorSchema<FieldValues>((spec) => createFormErrors(spec as RunSpec, checks()));
    return zodResolver(schema, undefined, { mode: "sync", raw: true })(compactSpec(values), context, options);
  };
}
