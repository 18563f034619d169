/**
 * A command as typed in the Console's "Custom" field or "Run command" into the
 * argument list `docker exec` takes. Plain words are split as a shell would
 * (quotes, escapes); anything only a shell can do (`|`, `&&`, `;`, `>`, `$VAR`,
 * globs, comments) makes it a `sh -c` line instead, so it means what was typed.
 * Pure: unit-tested.
 */
import { parse } from "shell-quote";

export function commandWords(text: string, shell = "/bin/sh"): string[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  if (/[$`]/.test(trimmed) || /\n/.test(trimmed)) return [shell, "-c", trimmed];
  const words = parse(trimmed);
  if (words.some((w) => typeof w !== "string")) return [shell, "-c", trimmed];
  return words as string[];
}
