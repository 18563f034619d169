/**
 * The search of a log view, applied in the runtime so only matching lines cross
 * the wire. No pattern can hold the event loop: only patterns V8's linear-time
 * engine can run are admitted (no backreferences, lookaround or repetition
 * counts over 16), and the process runs with LINEAR_REGEXP_FLAGS, so a match
 * that starts to backtrack is finished by that engine. Refused and unparsable
 * patterns are a BAD_REQUEST that names the field.
 */
import type { LogSearch } from "./protocol";
import { foldCase } from "./case-fold";
import { LINEAR_REGEXP_FLAGS } from "./regexp-flags";

export type Matcher = (text: string) => boolean;

export class FilterError extends Error {}

/** V8's flag for its linear-time engine (not standard JavaScript, so not in a literal). */
const LINEAR = "l";

function linearEngineOn(): boolean {
  try {
    new RegExp("", LINEAR);
  } catch {
    return false;
  }
  return LINEAR_REGEXP_FLAGS.every((f) => process.execArgv.includes(f));
}

// Without the flags a user's pattern could backtrack for minutes on the event
// loop: refuse to load at all rather than run searches that way.
if (!linearEngineOn()) {
  throw new Error(`berth runtime: log search needs V8's linear-time regular expressions; start node with ${LINEAR_REGEXP_FLAGS.join(" ")}`);
}

const escapeLiteral = (q: string) => q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Compiles a user's pattern; throws FilterError with a message that names the field. */
export function safeRegExp(source: string, caseSensitive: boolean): RegExp {
  try {
    // Parsed as written first, so a syntax error quotes the user's own pattern.
    new RegExp(source);
  } catch (err) {
    throw new FilterError(`search: invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, "")}`);
  }
  // The linear engine takes no `i` flag here: case-insensitivity is written into the pattern.
  const pattern = caseSensitive ? source : foldCase(source);
  try {
    new RegExp(pattern, LINEAR);
  } catch {
    throw new FilterError("search: this pattern cannot run in linear time (backreferences, lookaround and repetition counts over 16 are not supported)");
  }
  return new RegExp(pattern);
}

/** Returns undefined when there is nothing to filter on (every line matches). */
export function buildMatcher(search: LogSearch | undefined): Matcher | undefined {
  if (!search || search.q === "") return undefined;
  if (!search.regex && search.caseSensitive) {
    const q = search.q;
    return search.invert ? (t) => !t.includes(q) : (t) => t.includes(q);
  }
  const re = safeRegExp(search.regex ? search.q : escapeLiteral(search.q), search.caseSensitive);
  return search.invert ? (t) => !re.test(t) : (t) => re.test(t);
}
