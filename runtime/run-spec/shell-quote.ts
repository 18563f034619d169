/**
 * The one shell quoting for every command line Berth shows (the `docker run`
 * preview, each action's CLI equivalent): POSIX sh, so a line can be pasted
 * into a terminal, and read back by the pasted-command parser (shell-quote)
 * to the same words. Safe words stay bare, so ordinary lines stay readable
 * (`--restart on-failure:3`, `nginx@sha256:…`).
 */

const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one word for sh only when it needs it: in single quotes, a `'` written as `'\''`. */
export function shellQuote(word: string): string {
  if (word === "") return "''";
  if (safeWord.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Words joined into one line, each quoted as needed. */
export function shellLine(words: readonly string[]): string {
  return words.map(shellQuote).join(" ");
}
