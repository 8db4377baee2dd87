// `npm run test:browser`: the served pages in headless Chromium. Kept out of
// `npm test` because it needs a Chromium on the machine (CHROMIUM_PATH, else /usr/bin/chromium).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
