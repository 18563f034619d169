/**
 * A command string split into words as compose 1.29 (docker-py's split_command,
 * Python's shlex.split) does: blanks separate words, 'single quotes' are literal,
 * "double quotes" let \ escape only \ " $ ` and a newline, and outside quotes \
 * escapes any character. No variables, globs or comments: nothing runs a shell.
 */
export type ShlexResult = { ok: true; words: string[] } | { ok: false; error: string };

export function shlexSplit(text: string): ShlexResult {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: "no closing quotation (')" };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && j + 1 < text.length && '\\"$`\n'.includes(text[j + 1])) word += text[++j];
        else word += text[j];
      }
      if (j >= text.length) return { ok: false, error: 'no closing quotation (")' };
      inWord = true;
      i = j;
    } else if (c === "\\") {
      if (i + 1 >= text.length) return { ok: false, error: "no escaped character after the final \\" };
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, words };
}
