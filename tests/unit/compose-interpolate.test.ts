/**
 * Compose's variable substitution, .env reading and command splitting, as
 * compose 1.29 does them (runtime/compose/interpolate.ts, dotenv.ts, shlex.ts).
 */
import { describe, expect, it } from "vitest";
import { parseDotenv } from "../../runtime/compose/dotenv";
import { interpolateString, newContext } from "../../runtime/compose/interpolate";
import { loadDetailed } from "../../runtime/compose/load";
import { shlexSplit } from "../../runtime/compose/shlex";
import { listVariables } from "../../runtime/compose/variables";

function sub(text: string, vars: Record<string, string> = {}) {
  const ctx = newContext(new Map(Object.entries(vars)), new Map([["k", { line: 3, column: 5 }]]));
  const out = interpolateString(text, "k", ctx);
  return { out, errors: ctx.errors.map((e) => e.message), warnings: ctx.warnings };
}

describe("interpolation", () => {
  it("plain and braced forms, and $$ for a literal $", () => {
    expect(sub("$A-${A}x", { A: "1" }).out).toBe("1-1x");
    expect(sub("cost: $$5 and $${A}", { A: "1" }).out).toBe("cost: $5 and ${A}");
    expect(sub("no dollars").out).toBe("no dollars");
  });

  it("defaults: :- for unset or empty, - for unset only", () => {
    expect(sub("${A:-d}", {}).out).toBe("d");
    expect(sub("${A:-d}", { A: "" }).out).toBe("d");
    expect(sub("${A-d}", { A: "" }).out).toBe("");
    expect(sub("${A-d}", {}).out).toBe("d");
    expect(sub("${A:-d}", { A: "v" }).out).toBe("v");
    // A default is taken literally, as compose 1.29 does (no nesting, no recursion).
    expect(sub("${A:-$$B}", {}).out).toBe("$$B");
  });

  it("alternatives: :+ when set and non-empty, + when set", () => {
    expect(sub("${A:+alt}", { A: "v" }).out).toBe("alt");
    expect(sub("${A:+alt}", { A: "" }).out).toBe("");
    expect(sub("${A+alt}", { A: "" }).out).toBe("alt");
    expect(sub("${A+alt}", {}).out).toBe("");
  });

  it("required: :? for unset or empty, ? for unset only, with the message", () => {
    expect(sub("${A:?give A}", { A: "" }).errors).toEqual(["line 3, k: variable A is required: give A"]);
    expect(sub("${A?}", {}).errors).toEqual(["line 3, k: variable A is required (set it in .env)"]);
    expect(sub("${A?give A}", { A: "" }).out).toBe("");
    expect(sub("${A:?x}", { A: "v" }).out).toBe("v");
  });

  it("an unset variable without a default becomes empty, with a warning", () => {
    const r = sub("a${NOPE}b");
    expect(r.out).toBe("ab");
    expect(r.warnings).toEqual([`line 3, k: the "NOPE" variable is not set. Defaulting to a blank string.`]);
  });

  it("invalid forms are errors that say how to write a literal $", () => {
    expect(sub("${").errors[0]).toMatch(/never closed.*\$\$/);
    expect(sub("${1A}").errors[0]).toMatch(/does not start with a variable name/);
    expect(sub("a $ b").errors[0]).toMatch(/must start a variable/);
    expect(sub("${A:x}").errors[0]).toMatch(/unexpected ":x" after A/);
  });

  it("never reads the runtime's own environment", () => {
    process.env.BERTH_COMPOSE_TEST_SECRET = "leak";
    expect(sub("${BERTH_COMPOSE_TEST_SECRET}").out).toBe("");
    delete process.env.BERTH_COMPOSE_TEST_SECRET;
  });

  it("bounds what the substitutions add in all", () => {
    const big = "x".repeat(60 * 1024);
    const file = (n: number) => `services:\n  web:\n    image: nginx\n    command: "${"$B".repeat(n)}"\n`;
    expect(loadDetailed({ name: "demo", file: file(20), env: `B=${big}`, workingDir: "/s" }).result.ok).toBe(true);
    const over = loadDetailed({ name: "demo", file: file(100), env: `B=${big}`, workingDir: "/s" }).result;
    expect(over.ok ? [] : over.errors.map((e) => e.message)).toEqual(["line 4, services.web.command: the substituted values are longer than 4 MB in all"]);
  });

  it("numbers and booleans substituted into typed keys become numbers and booleans again", () => {
    const d = loadDetailed({
      name: "demo",
      workingDir: "/s",
      env: "P=8080\nPRIV=true\nN=2",
      file: "services:\n  web:\n    image: nginx\n    privileged: ${PRIV}\n    scale: $N\n    ports: [{target: $P}]\n",
    });
    if (!d.result.ok) throw new Error(d.result.errors[0].message);
    const s = d.result.project.services[0];
    expect([s.spec.privileged, s.replicas, s.spec.ports]).toEqual([true, 2, [{ containerPort: 8080 }]]);
  });

  it("lists the variables a file uses: set, with a default, required", () => {
    const file = "services:\n  web:\n    image: ${IMG:-nginx}\n    environment: [A=$A, \"B=${B:?need B}\", \"C=${C}\"]\nx-skip: $NOT_COUNTED\n";
    expect(listVariables(file, "A=1\nB=2")).toEqual([
      { name: "A", set: true, hasDefault: false, required: false },
      { name: "B", set: true, hasDefault: false, required: true },
      { name: "C", set: false, hasDefault: false, required: false },
      { name: "IMG", set: false, hasDefault: true, required: false },
    ]);
  });
});

describe(".env", () => {
  it("KEY=value, export, comments, blank lines, quotes", () => {
    const r = parseDotenv(`# comment\n\nA=1\nexport B = two words \nC='single $X \\n'\nD="double\\nline \\"q\\""\nE=value # trailing\nF=\nG="multi\nline"\n`);
    if (!r.ok) throw new Error(r.message);
    expect(Object.fromEntries(r.values)).toEqual({ A: "1", B: "two words", C: "single $X \\n", D: 'double\nline "q"', E: "value", F: "", G: "multi\nline" });
  });

  it("an invalid line is an error naming it", () => {
    expect(parseDotenv("A=1\n\njust words\n")).toEqual({ ok: false, line: 3, message: `expected KEY=value, found "just words"` });
    expect(parseDotenv("A='open\n")).toEqual({ ok: false, line: 1, message: "the single quote is never closed" });
    expect(parseDotenv("A=\0")).toMatchObject({ ok: false, line: 1 });
  });
});

describe("command splitting (shlex, as compose 1.29)", () => {
  it("splits on blanks, keeps quoted words, reads escapes", () => {
    expect(shlexSplit(`sh -c 'echo "$HOME"' "a\\"b" c\\ d`)).toEqual({ ok: true, words: ["sh", "-c", 'echo "$HOME"', 'a"b', "c d"] });
    expect(shlexSplit(`a ''`)).toEqual({ ok: true, words: ["a", ""] });
    expect(shlexSplit(`a 'b`)).toEqual({ ok: false, error: "no closing quotation (')" });
  });
});
