/**
 * Labels, driver options and the like: a bounded map of plain text, for any
 * capability's inputs (volumes, networks).
 */
import { z } from "zod";

/** Labels and options: a bounded map of plain text (no control characters in keys). */
const noControl = (s: string) => ![...s].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
export const stringMap = (what: string, max: number) =>
  z
    .record(
      z
        .string()
        .min(1, `${what} key must not be empty`)
        .max(255)
        .refine((k) => noControl(k) && !k.includes("="), `${what} key: no control characters or "="`)
        // Any other key may be listed (constructor, prototype); this one cannot be an object's own key once parsed.
        .refine((k) => k !== "__proto__", `${what} key: "__proto__" is not accepted`),
      z.string().max(4096, `${what} value must be at most 4096 characters`).refine((v) => !v.includes("\u0000"), `${what} value must not contain NUL`),
    )
    .refine((m) => Object.keys(m).length <= max, `at most ${max} ${what}s`);

