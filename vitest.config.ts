import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["{engine,api,workers,domain,scripts,processes,forms,web}/**/*.test.ts"],
		exclude: ["**/node_modules/**", "**/dist/**", ".data/**"],
		globalSetup: ["scripts/testing/global-setup.ts"],
		testTimeout: 60_000,
		// expect.poll gives up after 1 s by default; on a loaded 2-CPU machine a browser re-render can take longer.
		expect: { poll: { timeout: 10_000 } },
		hookTimeout: 120_000,
		pool: "forks",
		// Two cores: more workers only add contention with PostgreSQL.
		maxWorkers: 2,
		reporters: ["default"],
	},
});
