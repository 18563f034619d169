"use client";
/**
 * The create form's state on react-hook-form: the values (one RunSpec), which
 * fields were touched, whether Create was pressed, and the errors of
 * createFormResolver, re-checked on every change and whenever the engine's
 * networks or containers change. Errors show once their field was touched, all
 * of them after Create. Exposed to the controls as FormApi.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import { type FieldValues, useForm, useWatch } from "react-hook-form";
import type { RunSpec } from "~/runtime/run-spec/index";
import { allMessages, messagesFor, messagesUnder, topOf } from "~/app/_components/form/field-errors";
import type { ServerError } from "./create-failure";
import { compactSpec, createFormResolver, type CreateChecks } from "./form-checks";
import type { FormApi, Key } from "./form-kit";

const EMPTY: RunSpec = { image: "", detach: true };

export function useCreateForm({ networks, containers }: Omit<CreateChecks, "local">) {
  const [local, setLocal] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<ServerError | null>(null);
  // Bumped when the whole spec is replaced, so controls that keep their own text start again from it.
  const [version, setVersion] = useState(0);
  const checks = useRef<CreateChecks>({ networks, containers, local });
  checks.current = { networks, containers, local };
  const [resolver] = useState(() => createFormResolver(() => checks.current));
  const form = useForm<FieldValues>({ defaultValues: EMPTY, resolver, criteriaMode: "all" });
  const { setValue, trigger, reset, handleSubmit, formState } = form;
  const values = useWatch({ control: form.control });
  const spec = useMemo(() => compactSpec(values), [values]);

  useEffect(() => {
    void trigger();
  }, [spec, networks, containers, local, trigger]);

  const { errors, touchedFields, isSubmitted } = formState;
  const visible = (top: string) => isSubmitted || Boolean((touchedFields as Record<string, unknown>)[top]);

  const api: FormApi = {
    spec,
    set: (key, value) => {
      setValue(key, value, { shouldTouch: true, shouldDirty: true });
      setServerError((e) => (e && e.field && topOf(e.field) === key ? null : e));
    },
    err: (field) => {
      const mine = visible(topOf(field)) ? messagesFor(errors, field) : [];
      if (serverError?.field === field) mine.push(serverError.message);
      return mine.length ? mine.join("; ") : undefined;
    },
    errUnder: (prefix) => (visible(topOf(prefix)) ? messagesUnder(errors, prefix) : []),
    setLocal: (field, message) =>
      setLocal((l) => {
        if (l[field] === message) return l;
        const next = { ...l };
        if (message === undefined) delete next[field];
        else next[field] = message;
        return next;
      }),
  };

  /** Replace the whole spec (a pasted command, the container to duplicate): every field it sets counts as touched. */
  const load = (next: RunSpec) => {
    reset(next, { keepIsSubmitted: true });
    for (const key of Object.keys(next) as Key[]) setValue(key, next[key], { shouldTouch: true });
    setVersion((v) => v + 1);
    setLocal({});
    setServerError(null);
  };

  /** Create pressed: every error shows; `onValid` runs only when there is none. */
  const submit = (onValid: (spec: RunSpec) => void) => {
    setServerError(null);
    void handleSubmit((v) => onValid(compactSpec(v)))();
  };

  return { api, spec, load, submit, version, serverError, setServerError, shown: allMessages(errors, visible), isSubmitted };
}
