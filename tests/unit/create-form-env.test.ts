import { describe, expect, it } from "vitest";
import { mergeEnv, parseEnvFile, splitEnv } from "../../app/_features/containers/create/env-file";

describe("the create form's environment helpers", () => {
  it("reads a .env file as docker run --env-file does: comments and blank lines skipped, values as written", () => {
    expect(parseEnvFile("# comment\nA=1\n\n  B=two words\r\nC=\"quoted\"\nD\n")).toEqual(["A=1", "B=two words", 'C="quoted"', "D"]);
  });

  it("merges like repeated -e: a later value for the same name wins, order kept", () => {
    expect(mergeEnv(["A=1", "B=2"], ["B=3", "C=4"])).toEqual(["A=1", "B=3", "C=4"]);
  });

  it("splits at the first =", () => {
    expect(splitEnv("URL=a=b")).toEqual(["URL", "a=b"]);
    expect(splitEnv("BARE")).toEqual(["BARE", ""]);
  });
});
