/**
 * The paste box's tokenizer: what a shell would refuse to run (an open quote, a
 * final backslash) is an error naming its position, never a silently closed word.
 */
import { describe, expect, it } from "vitest";
import { parseDockerRun } from "../../runtime/run-spec";
import { tokenize } from "../../runtime/run-spec/tokenize";

const words = (s: string) => tokenize(s).tokens.map((t) => t.text);
const messages = (s: string) => tokenize(s).errors.map((e) => e.message);

describe("tokenize", () => {
  it("an unterminated single quote is an error naming where it starts", () => {
    expect(messages("docker run -e 'abc busybox")).toEqual(["input: unterminated ' quote starting at position 15"]);
    expect(words("docker run -e 'abc busybox")).toEqual([]);
  });

  it("an unterminated double quote is an error naming where it starts", () => {
    expect(messages('docker run busybox echo "hi')).toEqual(['input: unterminated " quote starting at position 25']);
  });

  it("the position counts from the pasted text's first character, across continuations", () => {
    const text = "docker run \\\n  -e A=1 \\\n  busybox sh -c 'echo";
    expect(messages(text)).toEqual([`input: unterminated ' quote starting at position ${text.indexOf("'") + 1}`]);
  });

  it("a trailing backslash is an error", () => {
    expect(messages("docker run busybox echo \\")).toEqual(["input: a trailing \\ at position 25 escapes nothing"]);
  });

  it("closed quotes, escaped quotes and quotes in comments are fine", () => {
    expect(words(`docker run busybox echo "a\\"b" 'c"d' e\\'f`)).toEqual(["docker", "run", "busybox", "echo", 'a"b', 'c"d', "e'f"]);
    expect(messages("# don't mind me\ndocker run busybox # it's fine")).toEqual([]);
    expect(words("docker run busybox echo \\\\")).toEqual(["docker", "run", "busybox", "echo", "\\"]);
    expect(words("docker run -e 'a\nb' busybox")).toEqual(["docker", "run", "-e", "a\nb", "busybox"]);
  });

  it("parseDockerRun reports the open quote alone, without knock-on errors", () => {
    const r = parseDockerRun("docker run --name web 'nginx");
    expect(r.errors.map((e) => e.message)).toEqual(["input: unterminated ' quote starting at position 23"]);
  });
});
