/**
 * parseDockerRun: a pasted `docker run …` command → RunSpec, reading flags the way
 * the CLI's flag library (pflag) does: `--flag=value` and `--flag value`, combined
 * short flags (`-itd`, `-p8080:80`, `-dp 80:80`), `--`, and everything after the
 * image is the command. Nothing is dropped silently: flags RunSpec cannot hold are
 * in unknownFlags, flags that only steer the CLI in ignoredFlags, shell features
 * Berth cannot reproduce in errors/warnings.
 */
import { flagsByLong, flagsByShort, type Builder, type FlagDef } from "./flags";
import type { RunSpec } from "./schema";
import { parseBool } from "./syntax-misc";
import { tokenize, INPUT_FIELD, type Token } from "./tokenize";
import { fieldError, validateRunSpec, type FieldError } from "./validate";

export interface ParseResult {
  /** Best effort even when there are errors: what could be read. */
  spec: RunSpec;
  /** Flags that change the container but RunSpec cannot hold (`--storage-opt`), or that docker run does not know. */
  unknownFlags: string[];
  /** Flags that only change what the CLI itself does (`--sig-proxy`, `--cidfile`); the container is the same without them. */
  ignoredFlags: string[];
  errors: FieldError[];
  /** Things that were read, but maybe not as the user's shell would have. */
  warnings: FieldError[];
  /** `create` means the CLI would not start the container. */
  subcommand: "run" | "create";
}

/** docker's global flags that take a value (`docker -H host run …`); they choose the engine, not the container. */
const globalWithValue = new Set(["-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"]);

export function parseDockerRun(text: string): ParseResult {
  const { tokens, errors, warnings } = tokenize(text);
  // Nothing could be read (an unterminated quote): "image is required" and the like would only add noise.
  if (tokens.length === 0 && errors.length > 0) return { spec: {} as RunSpec, unknownFlags: [], ignoredFlags: [], errors, warnings, subcommand: "run" };
  const unknownFlags: string[] = [];
  const ignoredFlags: string[] = [];
  const spec = {} as RunSpec;
  const b: Builder = {
    spec,
    error: (field, message) => errors.push(fieldError(field, message)),
    warn: (field, message) => warnings.push(fieldError(field, message)),
  };
  const args = [...tokens];
  const subcommand = stripPrefix(args, b, ignoredFlags);

  const apply = (def: FlagDef, name: string, value: string, token?: Token) => {
    if (token) reportShell(b, token, def.field ?? name);
    if (def.kind === "unsupported") {
      if (!unknownFlags.includes(name)) unknownFlags.push(name);
      b.warn(def.field ?? name.replace(/^-+/, ""), `${name} is not applied: ${def.note}`);
    } else if (def.kind === "client") {
      if (!ignoredFlags.includes(name)) ignoredFlags.push(name);
    } else def.apply?.(b, value);
  };
  const boolValue = (def: FlagDef, name: string, raw: string | undefined): string | undefined => {
    if (raw === undefined) return "true";
    const v = parseBool(raw);
    if (v === undefined) {
      b.error(def.field ?? name, `invalid value "${raw}" for ${name}: use true or false`);
      return undefined;
    }
    return String(v);
  };
  const unknown = (name: string) => {
    if (!unknownFlags.includes(name)) unknownFlags.push(name);
    b.error(INPUT_FIELD, `unknown flag: ${name} (docker run would refuse it)`);
  };

  let i = 0;
  let image: Token | undefined;
  while (i < args.length) {
    const tok = args[i++];
    const a = tok.text;
    if (a === "--") {
      image = args[i++];
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a : a.slice(0, eq);
      const inline = eq < 0 ? undefined : a.slice(eq + 1);
      const def = flagsByLong.get(name.slice(2));
      if (!def) {
        unknown(name);
        continue;
      }
      if (def.bool) {
        const v = boolValue(def, name, inline);
        if (v !== undefined) apply(def, name, v, tok);
      } else if (inline !== undefined) apply(def, name, inline, tok);
      else if (i < args.length) {
        const valueTok = args[i++];
        apply(def, name, valueTok.text, valueTok);
      } else b.error(def.field ?? name, `flag needs an argument: ${name}`);
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      // A cluster of short flags: booleans until one takes a value (the rest of the word, or the next word).
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const def = flagsByShort.get(c);
        const name = def ? `--${def.long}` : `-${c}`;
        if (!def) {
          unknown(`-${c}`);
          continue;
        }
        const rest = a.slice(j + 1);
        if (def.bool) {
          if (rest.startsWith("=")) {
            const v = boolValue(def, name, rest.slice(1));
            if (v !== undefined) apply(def, name, v, tok);
            break;
          }
          apply(def, name, "true", tok);
          continue;
        }
        if (rest !== "") apply(def, name, rest.startsWith("=") ? rest.slice(1) : rest, tok);
        else if (i < args.length) {
          const valueTok = args[i++];
          apply(def, name, valueTok.text, valueTok);
        } else b.error(def.field ?? name, `flag needs an argument: -${c}`);
        break;
      }
      continue;
    }
    image = tok;
    break;
  }

  if (image) {
    reportShell(b, image, "image");
    spec.image = image.text;
    const command = args.slice(i);
    command.forEach((t, k) => reportShell(b, t, `command[${k}]`));
    if (command.length > 0) spec.command = command.map((t) => t.text);
  } else {
    spec.image = "";
    b.error("image", "is required: docker run [OPTIONS] IMAGE [COMMAND] [ARG...]");
  }
  if (subcommand === "create" && spec.detach) b.error("detach", "docker create has no -d flag");
  if (spec.healthcheck && Object.keys(spec.healthcheck).length === 0) delete spec.healthcheck;

  const validation = validateRunSpec(spec);
  if (!validation.ok) {
    const known = new Set(errors.map((e) => e.message));
    for (const e of validation.errors) if (!known.has(e.message) && !(e.field === "image" && !image)) errors.push(e);
  }
  return { spec, unknownFlags, ignoredFlags, errors, warnings, subcommand };
}

/** Drops `docker [global flags] run|create|container run|container create`; just flags (and the image) also work. */
function stripPrefix(args: Token[], b: Builder, ignored: string[]): "run" | "create" {
  if (args[0]?.text !== "docker") return "run";
  args.shift();
  while (args[0]?.text.startsWith("-")) {
    const flag = args.shift()!.text;
    const name = flag.split("=")[0];
    ignored.push(name);
    b.warn(INPUT_FIELD, `docker's global flag ${name} was left out: Berth uses its own engine connection`);
    if (globalWithValue.has(name) && !flag.includes("=")) args.shift();
  }
  const first = () => args[0]?.text;
  if (first() === "container") args.shift();
  const sub = first();
  if (sub === "run" || sub === "create") {
    args.shift();
    return sub;
  }
  b.error(INPUT_FIELD, `only "docker run" and "docker create" can be read, not "docker ${sub ?? ""}"`);
  args.length = 0;
  return "run";
}

/** A word that used `$VAR` or an unquoted glob cannot mean here what it meant in the user's shell. */
function reportShell(b: Builder, token: Token, field: string): void {
  for (const v of token.vars)
    b.error(field, `"$${v}" is a shell variable: Berth has no shell to take it from; write its value (it is kept as the literal text \${${v}})`);
  if (token.glob) b.warn(field, `"${token.text}" is an unquoted pattern a shell would expand on your machine; it is passed as written`);
}
