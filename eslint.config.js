import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".next/**", ".next-test-*/**", ".next-bench-*/**", "node_modules/**", "data/**", "next-env.d.ts", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      // Nothing in app/ or server/ may reach Docker directly: only the runtime does.
      "no-restricted-imports": ["error", { paths: [{ name: "dockerode", message: "Only runtime/ talks to Docker." }] }],
    },
  },
  {
    files: ["runtime/**/*.ts", "tests/**/*.ts"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // protocol/index.ts is the dashboard's one import; inside the runtime it would tie every capability to every other.
    files: ["runtime/**/*.ts"],
    ignores: ["runtime/protocol/index.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ regex: "(^|/)protocol/index$", message: "In runtime/, import the protocol file you need (../protocol/errors, ./protocol…), not runtime/protocol/index.ts." }] }],
    },
  },
  {
    // The shared protocol files import nothing of the capabilities (methods.ts joins them; index.ts re-exports).
    files: ["runtime/protocol/*.ts"],
    ignores: ["runtime/protocol/index.ts", "runtime/protocol/methods.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["../*"], message: "Shared protocol files import only zod and each other: a capability's protocol imports them, never the reverse." }] }],
    },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
);
