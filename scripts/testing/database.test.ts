import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./database";

describe("test databases", () => {
	let db: TestDatabase;
	beforeAll(async () => {
		db = await createTestDatabase("support");
	});
	afterAll(async () => {
		await db.drop();
	});

	it("should give each test file its own empty database on a real PostgreSQL", async () => {
		const client = new pg.Client({ connectionString: db.url });
		await client.connect();
		const { rows } = await client.query("select current_database() as name, version() as version");
		await client.end();
		expect(rows[0].name).toBe(db.name);
		expect(rows[0].version).toMatch(/^PostgreSQL \d+/);
	});
});
