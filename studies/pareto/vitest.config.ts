import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Tests spawn whole smoke runs (15 s each on a quiet machine, 60–90 s when the 2 shared cores are busy).
    testTimeout: 600_000,
  },
});
