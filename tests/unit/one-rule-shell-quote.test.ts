import fc from "fast-check";
import { parse } from "shell-quote";
import { describe, expect, it } from "vitest";
import { shellLine, shellQuote } from "~/runtime/run-spec/shell-quote";
import { toDockerRun } from "~/runtime/run-spec/index";
import { cli } from "~/app/_features/containers/cli";

describe("one shell quoting", () => {
  it("leaves safe words bare and quotes the rest for sh", () => {
    expect(shellQuote("on-failure:3")).toBe("on-failure:3");
    expect(shellQuote("nginx@sha256:abc")).toBe("nginx@sha256:abc");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("$HOME")).toBe("'$HOME'");
    expect(shellLine(["echo", "a;b", "c"])).toBe("echo 'a;b' c");
  });

  it("reads back to the same words through the pasted-command parser", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "binary-ascii", minLength: 1 }).filter((s) => !s.includes("\0")), { minLength: 1, maxLength: 6 }), (words) => {
        expect(parse(shellLine(words))).toEqual(words);
      }),
      { numRuns: 500 },
    );
  });

  it("is the quoting of the docker run preview and of every action's CLI line", () => {
    const odd = "my name's $x";
    expect(toDockerRun({ image: "busybox", command: ["sh", "-c", odd] } as never)).toContain(shellQuote(odd));
    expect(cli.rename("web", odd)).toBe(`docker rename web ${shellQuote(odd)}`);
    expect(cli.remove([odd], true)).toBe(`docker rm -f ${shellQuote(odd)}`);
    expect(cli.updateHint(odd)).toBe(`docker update … ${shellQuote(odd)}`);
    expect(cli.commitHint(odd)).toBe(`docker commit ${shellQuote(odd)} REPOSITORY[:TAG]`);
  });
});
