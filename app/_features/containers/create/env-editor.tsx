"use client";
/** Environment (-e): a name/value list, or the same as KEY=value lines, or loaded from a .env file (--env-file). */
import { useState } from "react";
import { mergeEnv, parseEnvFile, splitEnv as split } from "./env-file";
import { ErrorText, Rows, useFormApi } from "./form-kit";

export function EnvEditor({ imageEnv }: { imageEnv?: string[] }) {
  const f = useFormApi();
  const [asText, setAsText] = useState(false);
  const [generation, setGeneration] = useState(0);
  const [text, setText] = useState("");
  const [fileNote, setFileNote] = useState<string | null>(null);
  const env = f.spec.env ?? [];

  const load = async (file: File | undefined) => {
    if (!file) return;
    const lines = parseEnvFile(await file.text());
    const merged = mergeEnv(env, lines);
    f.set("env", merged.length ? merged : undefined);
    setText(merged.join("\n"));
    setGeneration((g) => g + 1);
    setFileNote(`Loaded ${lines.length} variable${lines.length === 1 ? "" : "s"} from ${file.name}.`);
  };

  return (
    <fieldset className="field wide">
      <legend>Environment</legend>
      <label className="check">
        <input
          type="checkbox"
          checked={asText}
          onChange={(e) => {
            setAsText(e.target.checked);
            setText(env.join("\n"));
            setGeneration((g) => g + 1);
          }}
        />
        <span>Edit as KEY=value lines</span>
      </label>
      {asText ? (
        <label className="field">
          <span>Environment variables (KEY=value lines)</span>
          <textarea
            rows={5}
            value={text}
            spellCheck={false}
            onChange={(e) => {
              setText(e.target.value);
              const list = e.target.value.split("\n").map((l) => l.trim()).filter(Boolean);
              f.set("env", list.length ? list : undefined);
            }}
          />
        </label>
      ) : (
        <Rows<[string, string]>
          key={generation}
          k="env"
          item="Variable"
          blank={["", ""]}
          columns={[
            { label: "Name", get: (r) => r[0], set: (r, v) => [String(v), r[1]] },
            { label: "Value", get: (r) => r[1], set: (r, v) => [r[0], String(v)] },
          ]}
          fromSpec={(v) => ((v as string[] | undefined) ?? []).map(split)}
          toSpec={(rows) => rows.filter(([n, v]) => n !== "" || v !== "").map(([n, v]) => `${n}=${v}`)}
        />
      )}
      <label className="field">
        <span>Load a .env file</span>
        <input type="file" accept=".env,text/plain" onChange={(e) => void load(e.target.files?.[0])} />
      </label>
      {fileNote && <small className="muted">{fileNote}</small>}
      {imageEnv?.length ? (
        <small className="muted">
          From the image (kept unless overridden): <code>{imageEnv.join("  ")}</code>
        </small>
      ) : null}
      {/* The rows show their own errors; the text box shows them all here. */}
      {asText && <ErrorText messages={f.errUnder("env")} />}
    </fieldset>
  );
}
