import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type RunningPostgres, startEmbeddedPostgres } from "../platform/embedded-postgres";

let cluster: RunningPostgres | undefined;
let dataDir: string | undefined;

/**
 * Gives every test run one real PostgreSQL: `DATABASE_URL` when set (its server is used as the admin
 * connection), otherwise a throw-away embedded cluster in a temporary folder.
 * Tests create their own databases on it with `createTestDatabase()`.
 */
export async function setup(project: TestProject): Promise<void> {
	let adminUrl = process.env.DATABASE_URL;
	if (!adminUrl) {
		dataDir = mkdtempSync(path.join(tmpdir(), "mizan-test-pg-"));
		cluster = await startEmbeddedPostgres({ dataDir, port: 0 });
		adminUrl = cluster.adminUrl;
	}
	project.provide("pgAdminUrl", adminUrl);
	process.env.MIZAN_TEST_PG_ADMIN_URL = adminUrl;
}

export async function teardown(): Promise<void> {
	await cluster?.stop();
	if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

declare module "vitest" {
	export interface ProvidedContext {
		pgAdminUrl: string;
	}
}
