"use client";
/** Add a stack: a name, compose.yaml and .env in the editor, then Deploy (preflight first): `/e/<env>/stacks/new`. */
import Link from "next/link";
import { useState } from "react";
import type { StackCheckResult } from "~/runtime/stacks/protocol";
import { PROJECT_NAME_PATTERN } from "~/runtime/compose/model";
import { Field } from "~/app/_components/field";
import { envPath } from "~/app/_lib/env-path";
import { useEnv } from "~/app/_lib/use-env";
import { DeployPanel } from "~/app/_features/stacks/deploy-panel";
import { StackEditor, type StackDraft } from "~/app/_features/stacks/stack-editor";

const EXAMPLE = "services:\n  web:\n    image: nginx\n    ports:\n      - \"127.0.0.1:8080:80\"\n";

export default function NewStackPage() {
  const env = useEnv();
  const [name, setName] = useState("");
  const [draft, setDraft] = useState<StackDraft>({ file: EXAMPLE, dotenv: "" });
  const [check, setCheck] = useState<StackCheckResult>();
  const trimmed = name.trim();
  const nameProblem = !trimmed ? undefined : trimmed.length > 63 || !PROJECT_NAME_PATTERN.test(trimmed)
    ? "Name: lowercase letters, digits, _ and -, starting with a letter or digit (the compose project name, -p)" : undefined;
  const notReady = !trimmed ? "Give the stack a name." : nameProblem ? nameProblem : !check ? "Checking the file…" : !check.ok ? "Fix the file's problems first." : undefined;
  return (
    <section aria-labelledby="new-stack-title">
      <p className="muted small"><Link href={envPath(env, "/stacks")}>Stacks</Link> /</p>
      <h1 id="new-stack-title">Add stack</h1>
      <Field label="Name" value={name} onChange={setName} placeholder="my-app" hint="The compose project name (-p): its containers are named NAME-SERVICE-1" error={nameProblem} />
      <StackEditor env={env} name={trimmed} initial={draft} onChange={setDraft} onChecked={setCheck} />
      <DeployPanel env={env} mode="create" name={trimmed} draft={draft} ready={!notReady} notReady={notReady} />
    </section>
  );
}
