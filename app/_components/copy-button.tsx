"use client";
import { useState } from "react";

/** Copies `text`; says so. Falls back to a selection copy where the Clipboard API is not allowed. */
export function CopyButton({ text, label = "Copy", name }: { text: string; label?: string; /** The accessible name, when several Copy buttons share a place. */ name?: string }) {
  const [done, setDone] = useState<"copied" | "failed" | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone("copied");
    } catch {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      setDone(ok ? "copied" : "failed");
    }
    setTimeout(() => setDone(null), 2000);
  };
  return (
    <>
      <button type="button" onClick={() => void copy()} aria-label={name}>
        {label}
      </button>
      {done && (
        <span className={`small ${done === "copied" ? "ok" : "error"}`} role="status">
          {done === "copied" ? "Copied" : "Copy failed: select the text and copy it"}
        </span>
      )}
    </>
  );
}
