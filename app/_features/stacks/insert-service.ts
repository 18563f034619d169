/**
 * Puts a converted `docker run` (a compose file with one service, and the named
 * volumes and networks it uses) into the file being edited: the service goes
 * under `services:` (renamed `name-2`… when the name is taken), its volumes and
 * networks under theirs, and the rest of the file keeps its comments and order.
 * A file that does not parse yet is left as it is and the service appended.
 */
import { isMap, parseDocument } from "yaml";

export interface InsertResult {
  text: string;
  /** The service's name in the file (differs from the converted one when that was taken). */
  service: string;
}

const TOP_KEYS = ["services", "volumes", "networks"] as const;

export function insertService(current: string, converted: string, service: string): InsertResult {
  const from = parseDocument(converted);
  const doc = parseDocument(current.trim() ? current : "{}");
  const top = doc.contents;
  if (doc.errors.length > 0 || (current.trim() && !isMap(top))) {
    const sep = current.endsWith("\n") || current === "" ? "" : "\n";
    return { text: `${current}${sep}# Converted from docker run: move it under services:\n${converted}`, service };
  }
  const taken = (key: string, name: string) => doc.hasIn([key, name]);
  let name = service;
  for (let n = 2; taken("services", name); n++) name = `${service}-${n}`;
  for (const key of TOP_KEYS) {
    const section = from.get(key);
    if (!isMap(section)) continue;
    if (!isMap(doc.get(key))) doc.set(key, doc.createNode({}));
    for (const pair of section.items) {
      const k = String((pair.key as { value?: unknown })?.value ?? pair.key);
      if (key === "services") doc.setIn([key, k === service ? name : k], pair.value);
      else if (!taken(key, k)) doc.setIn([key, k], pair.value);
    }
  }
  // `{}` was a placeholder for an empty file: block style reads like the rest.
  if (isMap(doc.contents)) doc.contents.flow = false;
  return { text: doc.toString({ lineWidth: 0 }), service: name };
}
