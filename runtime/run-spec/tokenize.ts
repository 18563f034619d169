/**
 * Splits a pasted command into words with shell-quote, and reports (never drops)
 * what a shell would have done that Berth cannot: `$VAR` expansions, `&&`/`|`/`;`
 * and other operators, unquoted globs, comments, a second command on another line.
 */
import { parse, type ParseEntry } from "shell-quote";
import { fieldError, type FieldError } from "./validate";

export interface Token {
  text: string;
  /** Shell variables the word referred to; kept in the text as `${NAME}`. */
  vars: string[];
  /** An unquoted glob a shell would have expanded on the user's machine. */
  glob: boolean;
}

export interface TokenizeResult {
  tokens: Token[];
  errors: FieldError[];
  warnings: FieldError[];
}

/** The field tokenizer-level problems are reported under: the pasted text itself. */
export const INPUT_FIELD = "input";

// Private-use characters mark where a variable stood, so it can be traced back to its word.
const MARK_OPEN = "\u{F0000}";
const MARK_CLOSE = "\u{F0001}";
const markRe = new RegExp(`${MARK_OPEN}(\\d+)${MARK_CLOSE}`, "gu");

export function tokenize(input: string): TokenizeResult {
  const errors: FieldError[] = [];
  const warnings: FieldError[] = [];
  const { first, rest, unterminated } = firstCommand(input);
  // shell-quote reads an open quote or a final backslash as if it were closed or absent: a shell would not run the command.
  if (unterminated) {
    errors.push(fieldError(INPUT_FIELD, unterminated));
    return { tokens: [], errors, warnings };
  }
  const more = rest.split(/\r?\n/).filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
  if (more.length > 0) {
    errors.push(fieldError(INPUT_FIELD, `only one command can be pasted; this was not read: ${ellipsis(more.join(" ").trim())}`));
  }
  let text = first.replace(/^\s*\$\s+/, (m) => {
    warnings.push(fieldError(INPUT_FIELD, "the leading \"$ \" prompt was left out"));
    return m.replace("$", " ");
  });
  text = text.replace(/^\s*sudo\s+/, (m) => {
    warnings.push(fieldError(INPUT_FIELD, "sudo was left out: Berth talks to the engine itself"));
    return " ".repeat(m.length);
  });

  const names: string[] = [];
  let entries: ParseEntry[];
  try {
    entries = parse(text, (key: string) => {
      names.push(key);
      return `${MARK_OPEN}${names.length - 1}${MARK_CLOSE}`;
    }) as ParseEntry[];
  } catch (e) {
    errors.push(fieldError(INPUT_FIELD, `cannot read the command: ${(e as Error).message}`));
    return { tokens: [], errors, warnings };
  }

  const tokens: Token[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (typeof entry === "string") {
      tokens.push(unmark(entry, names));
    } else if ("comment" in entry) {
      warnings.push(fieldError(INPUT_FIELD, `the comment "#${entry.comment}" was left out`));
    } else if (entry.op === "glob") {
      const token = unmark(entry.pattern, names);
      tokens.push({ ...token, glob: true });
    } else {
      const after = entries.slice(i).map((e) => (typeof e === "string" ? e : "op" in e ? (e.op === "glob" ? e.pattern : e.op) : `#${e.comment}`));
      errors.push(
        fieldError(
          INPUT_FIELD,
          `the shell operator "${entry.op}" is not part of docker run; this was not read: ${ellipsis(after.join(" "))}`,
        ),
      );
      break;
    }
  }
  return { tokens, errors, warnings };
}

function unmark(word: string, names: string[]): Token {
  const vars: string[] = [];
  const text = word.replace(markRe, (_m, n: string) => {
    const name = names[Number(n)];
    vars.push(name);
    return `\${${name}}`;
  });
  return { text, vars, glob: false };
}

/**
 * Joins `\`-newline continuations (outside single quotes, as a shell does) and cuts
 * the text at the first unquoted newline that starts another command. Comment lines
 * and blank lines before the command are skipped. `unterminated` says where the
 * first command has a quote that never closes, or ends in a backslash (positions
 * count characters of `input` from 1).
 */
export function firstCommand(input: string): { first: string; rest: string; unterminated?: string } {
  let out = "";
  let quote: "'" | '"' | null = null;
  let quoteAt = 0;
  let inComment = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quote === "'") {
      out += c;
      if (c === "'") quote = null;
      continue;
    }
    if (inComment && c !== "\n" && c !== "\r") {
      out += c;
      continue;
    }
    if (c === "\\") {
      const next = input[i + 1];
      if (next === "\n" || (next === "\r" && input[i + 2] === "\n")) {
        i += next === "\r" ? 2 : 1;
        continue;
      }
      if (next === undefined) return { first: out, rest: "", unterminated: `a trailing \\ at position ${i + 1} escapes nothing` };
      out += c + next;
      i++;
      continue;
    }
    if (quote === '"') {
      out += c;
      if (c === '"') quote = null;
      continue;
    }
    if (c === "'" || c === '"') {
      quote = c;
      quoteAt = i;
    }
    // An unquoted # after a blank starts a comment: quotes in it mean nothing.
    if (c === "#" && (out === "" || /\s$/.test(out))) inComment = true;
    if (c === "\n" || c === "\r") {
      inComment = false;
      if (out.trim() === "" || /^\s*#/.test(lastLine(out))) {
        out = "";
        continue;
      }
      return { first: out, rest: input.slice(i + 1) };
    }
    out += c;
  }
  if (quote) return { first: out, rest: "", unterminated: `unterminated ${quote} quote starting at position ${quoteAt + 1}` };
  return { first: out, rest: "" };
}

function lastLine(s: string): string {
  return s.slice(s.lastIndexOf("\n") + 1);
}

function ellipsis(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
