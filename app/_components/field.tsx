"use client";
import { useId, type InputHTMLAttributes } from "react";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value"> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string;
};

/** A labelled input: the label is the accessible name, in Docker's own words. */
export function Field({ label, value, onChange, hint, error, ...rest }: Props) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={hint || error ? `${id}-hint` : undefined}
        {...rest}
      />
      {(hint || error) && (
        <small id={`${id}-hint`} className={error ? "error" : "muted"}>
          {error ?? hint}
        </small>
      )}
    </div>
  );
}
