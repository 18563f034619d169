"use client";
/**
 * Convert docker run: a pasted `docker run …` becomes a compose service (the
 * runtime parses it with the create form's parser), put into the file under
 * `services:`; what compose cannot say comes back as caveats.
 */
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { errorMessage, useTRPC } from "~/app/_lib/trpc";
import { insertService } from "./insert-service";

export function ConvertRunDialog({ env, currentFile, onClose, onConverted }: {
  env: string;
  currentFile: string;
  onClose: () => void;
  onConverted: (file: string, service: string, caveats: string[]) => void;
}) {
  const trpc = useTRPC();
  const [command, setCommand] = useState("");
  const [service, setService] = useState("");
  const area = useRef<HTMLTextAreaElement>(null);
  const convert = useMutation(trpc.stacks.convertRun.mutationOptions({
    onSuccess: (r) => {
      const put = insertService(currentFile, r.yaml, r.service);
      onConverted(put.text, put.service, r.caveats);
    },
  }));
  useEffect(() => {
    area.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);
  return (
    <div className="overlay">
      <form
        role="dialog"
        aria-modal="true"
        aria-label="Convert docker run"
        className="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          convert.mutate({ env, command: command.trim(), ...(service.trim() ? { service: service.trim() } : {}) });
        }}
      >
        <h2>Convert docker run</h2>
        <div className="field">
          <label htmlFor="convert-command">docker run command</label>
          <textarea id="convert-command" ref={area} rows={5} className="mono" spellCheck={false} value={command}
            placeholder="docker run -d -p 127.0.0.1:8080:80 --name web nginx" onChange={(e) => setCommand(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="convert-service">Service name</label>
          <input id="convert-service" value={service} placeholder="From --name or the image" onChange={(e) => setService(e.target.value)} />
        </div>
        {convert.error && <p role="alert" className="error small">{errorMessage(convert.error)}</p>}
        <div className="row">
          <button type="submit" className="primary" disabled={convert.isPending || !command.trim()}>
            {convert.isPending ? "Converting…" : "Convert"}
          </button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </div>
  );
}
