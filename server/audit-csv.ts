/**
 * CSV for the audit export (RFC 4180): a cell holding a comma, quote, CR or LF
 * is quoted, its quotes doubled. A cell a spreadsheet would run as a formula
 * (starting with = + - @, or a tab or CR that some strip first) gets a leading
 * `'`: the export holds what users typed (names, inputs), and opening it must
 * not run it.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : typeof value === "string" ? value : String(value);
  if (typeof value === "string" && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated as RFC 4180 has it. */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
