import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** A database made for one test file, dropped by `drop()`. */
export interface TestDatabase {
	name: string;
	url: string;
	drop(): Promise<void>;
}

/**
 * Creates a fresh, empty database on the test run's PostgreSQL (see global-setup.ts).
 * Call in `beforeAll`, and `drop()` in `afterAll`.
 */
export async function createTestDatabase(prefix = "t"): Promise<TestDatabase> {
	const adminUrl = inject("pgAdminUrl");
	const name = `${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(5).toString("hex")}`;
	await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		drop: async () => {
			await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
		},
	};
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
	const client = new pg.Client({ connectionString: adminUrl });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}
