import { configDefaults, defineConfig } from "vitest/config";

// Three kinds of test, named for what they need (README, Tests): `npm run test:unit` runs the first
// alone, in seconds, with no redis-server installed; `npm test` runs all three.
const UNIT = "test/**/*.unit.test.ts";
const REDIS = "test/**/*.redis.test.ts";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files each start a Redis and a bot process; two cores take two files at once.
    maxWorkers: 2,
    projects: [
      // No network: a socket opened by a unit test fails it (test/support/no-network.ts).
      { extends: true, test: { name: "unit", include: [UNIT], setupFiles: ["test/support/no-network.ts"] } },
      // A real redis-server (or cluster) started by the file; no bot, no simulator.
      { extends: true, test: { name: "redis", include: [REDIS] } },
      // The bot (its process, or in-process) against the simulator, with Redis. Any other *.test.ts lands
      // here too, so a file that is not named for its kind still runs.
      // The console's page is built once per run for the bot to serve (test/support/console-page.ts).
      {
        extends: true,
        test: { name: "e2e", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, UNIT, REDIS], globalSetup: ["test/support/console-page.ts"] },
      },
    ],
  },
});
