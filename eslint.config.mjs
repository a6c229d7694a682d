import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      "dist/**",
      "node_modules/**",
      "lib/generated/**",
      "tools/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Prettier wraps code at 120; this also holds the strings and comments it leaves alone.
      "max-len": ["error", { code: 120, tabWidth: 2 }],
    },
  },
  {
    // One module reads the environment (lib/config.ts); nothing writes it. Start-up's values reach
    // the code through config()/settled() and child processes through childEnv().
    files: ["app/**", "components/**", "lib/**", "server/**"],
    ignores: ["lib/config.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        {
          object: "process",
          property: "env",
          message: "Read configuration through lib/config.ts (config(), settled()).",
        },
      ],
    },
  },
  {
    // The layers point one way: app/ uses components/ and lib/, server/ uses lib/, lib/ uses neither.
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app/*", "@/server/*"], message: "components/ are shared: bind actions in app/." }] },
      ],
    },
  },
  {
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/app/*", "@/components/*", "@/server/*"],
              message: "lib/ is the domain: it imports no page, component or server code.",
            },
          ],
        },
      ],
    },
  },
  {
    // Specs take `test` from e2e/support/test.ts, which fails a test on any Content-Security-Policy violation.
    files: ["e2e/**/*.spec.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@playwright/test",
              message: "Import from ./support/test: it guards every page against CSP violations.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
