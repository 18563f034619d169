"use client";
/** "Run command": one command without a terminal (docker exec without -t); its stdout, stderr and exit code. */
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { useEnv } from "~/app/_lib/use-env";
import { commandWords } from "./command-words";

export function RunCommandForm({ id }: { id: string }) {
  const trpc = useTRPC();
  const env = useEnv();
  const [text, setText] = useState("");
  const [timeout, setTimeoutS] = useState("30");
  const run = useMutation(trpc.exec.run.mutationOptions());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const cmd = commandWords(text);
    if (cmd.length === 0) return;
    const seconds = Number(timeout);
    run.mutate({ env, id, cmd, ...(Number.isFinite(seconds) && seconds > 0 ? { timeoutMs: Math.round(seconds * 1000) } : {}) });
  };
  const r = run.data;
  return (
    <section className="card run-once" aria-labelledby="run-once-title">
      <h2 id="run-once-title">Run command</h2>
      <form className="row wrap" onSubmit={submit}>
        <label>
          Command to run <input value={text} onChange={(e) => setText(e.target.value)} placeholder="e.g. ls -la /" size={40} />
        </label>
        <label>
          Timeout (seconds) <input type="number" min={1} max={600} value={timeout} onChange={(e) => setTimeoutS(e.target.value)} size={4} />
        </label>
        <button type="submit" disabled={run.isPending || text.trim() === ""}>
          {run.isPending ? "Running…" : "Run"}
        </button>
      </form>
      {run.error && <p role="alert" className="error">{errorMessage(run.error)}</p>}
      {r && (
        <div className="run-once-result">
          <p role="status">
            {r.timedOut ? `Timed out after ${Math.round(r.durationMs / 100) / 10} s: the command was killed.` : `Exit code: ${r.exitCode ?? "unknown"}`}
            {r.truncated && " (output cut at 1 MB per stream)"}
          </p>
          <h3>stdout</h3>
          <pre aria-label="Standard output" className="command">{r.stdout}</pre>
          {r.stderr && (
            <>
              <h3>stderr</h3>
              <pre aria-label="Standard error" className="command error">{r.stderr}</pre>
            </>
          )}
        </div>
      )}
    </section>
  );
}
