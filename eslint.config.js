import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
    },
  },
  {
    // Composers are walked as a list (src/shared/composer.ts, issue 11); grammY's own nests a wrapper per middleware.
    files: ["src/**/*.ts"],
    ignores: ["src/shared/composer.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { paths: [{ name: "grammy", importNames: ["Composer"], allowTypeImports: true, message: "import { Composer } from src/shared/composer.js" }] },
      ],
    },
  },
  {
    // plain JavaScript run by node (build step, bench floor)
    files: ["**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } },
  },
  {
    files: ["src/content/check-cli.ts", "src/ops/doctor-cli.ts", "src/lessons/authoring/export-cli.ts", "bench/**", "tools/**"],
    rules: { "no-console": "off" },
  },
);
