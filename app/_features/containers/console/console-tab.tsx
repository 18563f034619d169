"use client";
/**
 * The Console tab: an interactive shell in the container (docker exec -it) or
 * the container's main process (docker attach), in a terminal that fills the
 * panel; and "Run command", a one-off command without a terminal that shows
 * its output and exit code. Disconnecting (or leaving the tab) ends the shell
 * in the container; detaching from an attach leaves the container running.
 */
import { useState, type FormEvent } from "react";
import { Terminal, type TerminalStatus, type TerminalTarget } from "~/app/_components/terminal";
import { RecordingToggle } from "./recording-toggle";
import { RunCommandForm } from "./run-command-form";
import { commandWords } from "./command-words";

const SHELLS = ["/bin/sh", "/bin/bash", "/bin/ash"] as const;
const CUSTOM = "custom";

function describe(s: TerminalStatus | undefined): string {
  if (!s) return "Not connected.";
  switch (s.state) {
    case "connecting":
      return "Connecting…";
    case "connected":
      return `Connected to ${s.name}.`;
    case "exited":
      return s.code === null ? "Detached." : `The process exited with code ${s.code}.`;
    case "error":
      return s.message;
    case "closed":
      return s.detail ? `Disconnected: ${s.detail}` : "Disconnected.";
  }
}

export function ConsoleTab({ id, running }: { id: string; running: boolean }) {
  const [shell, setShell] = useState<string>(SHELLS[0]);
  const [custom, setCustom] = useState("");
  const [user, setUser] = useState("");
  const [workdir, setWorkdir] = useState("");
  const [target, setTarget] = useState<TerminalTarget | undefined>(undefined);
  const [status, setStatus] = useState<TerminalStatus | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);

  if (!running) return <p className="muted">The container is not running: start it to open a console.</p>;

  const connect = (e: FormEvent) => {
    e.preventDefault();
    const cmd = shell === CUSTOM ? commandWords(custom) : [shell];
    if (cmd.length === 0) return setFormError("Custom command: type the command to run.");
    if (workdir.trim() && !workdir.trim().startsWith("/")) return setFormError("Working directory: must be an absolute path (start with /).");
    setFormError(undefined);
    setStatus(undefined);
    setTarget({
      channel: "exec",
      params: { id, cmd, ...(user.trim() ? { user: user.trim() } : {}), ...(workdir.trim() ? { workdir: workdir.trim() } : {}) },
    });
  };
  const attach = () => {
    setFormError(undefined);
    setStatus(undefined);
    setTarget({ channel: "attach", params: { id } });
  };
  const disconnect = () => {
    setTarget(undefined);
    setStatus({ state: "closed" });
  };
  const live = target !== undefined && (status === undefined || status.state === "connecting" || status.state === "connected");

  return (
    <div className="console-tab">
      <form className="row wrap console-controls" onSubmit={connect} aria-label="Console">
        <label>
          Command{" "}
          <select value={shell} onChange={(e) => setShell(e.target.value)} disabled={live}>
            {SHELLS.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
            <option value={CUSTOM}>Custom…</option>
          </select>
        </label>
        {shell === CUSTOM && (
          <label>
            Custom command <input value={custom} onChange={(e) => setCustom(e.target.value)} placeholder="e.g. /bin/sh -l" disabled={live} />
          </label>
        )}
        <label>
          User <input value={user} onChange={(e) => setUser(e.target.value)} placeholder="image default" size={12} disabled={live} />
        </label>
        <label>
          Working directory <input value={workdir} onChange={(e) => setWorkdir(e.target.value)} placeholder="image default" size={16} disabled={live} />
        </label>
        {live ? (
          <button type="button" onClick={disconnect}>{target?.channel === "attach" ? "Detach" : "Disconnect"}</button>
        ) : (
          <>
            <button type="submit">Connect</button>
            <button type="button" onClick={attach} title="Attach to the container's main process (docker attach)">Attach</button>
          </>
        )}
        <RecordingToggle />
      </form>
      {formError && <p role="alert" className="error">{formError}</p>}
      <p role="status" className={status?.state === "error" ? "error" : "muted"} aria-label="Console status">
        {describe(status)}
      </p>
      {target && <Terminal target={target} onStatus={setStatus} />}
      <RunCommandForm id={id} />
    </div>
  );
}
