/**
 * The search of a log view, applied in the runtime so only matching lines cross
 * the wire. A bad regex is reported as a BAD_REQUEST the viewer can show.
 */
import type { LogSearch } from "../protocol";

export type Matcher = (text: string) => boolean;

export class FilterError extends Error {}

/** Returns undefined when there is nothing to filter on (every line matches). */
export function buildMatcher(search: LogSearch | undefined): Matcher | undefined {
  if (!search || search.q === "") return undefined;
  const flags = search.caseSensitive ? "" : "i";
  let re: RegExp;
  if (search.regex) {
    try {
      re = new RegExp(search.q, flags);
    } catch (err) {
      throw new FilterError(`invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, "")}`);
    }
  } else if (search.caseSensitive) {
    const q = search.q;
    return search.invert ? (t) => !t.includes(q) : (t) => t.includes(q);
  } else {
    re = new RegExp(search.q.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
  }
  return search.invert ? (t) => !re.test(t) : (t) => re.test(t);
}
