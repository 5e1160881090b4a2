import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../scripts/testing/database";
import { migrateDomainSchema } from "./migrate";
import { openDomainOrm } from "./orm";

const logger = pino({ level: "silent" });

describe("migrateDomainSchema", () => {
	let db: TestDatabase;
	let broken: TestDatabase;

	beforeAll(async () => {
		db = await createTestDatabase("domain_migrate");
		broken = await createTestDatabase("domain_migrate_broken");
	});
	afterAll(async () => {
		await db.drop();
		await broken.drop();
	});

	it("should create the schema, record it in domain_migrations, and be a no-op the second time", async () => {
		await migrateDomainSchema(db.url, logger);
		await migrateDomainSchema(db.url, logger);
		const client = new pg.Client({ connectionString: db.url });
		await client.connect();
		try {
			const ran = await client.query("select name from domain_migrations");
			expect(ran.rows.map((row) => row.name)).toEqual([
				"Migration20261128CaseRecords",
				"Migration20261128IdempotencyKeys",
				"Migration20261128DetentionAnchor",
			]);
		} finally {
			await client.end();
		}
	});

	it("should leave nothing for the entities to change (migration and entities agree)", async () => {
		const orm = await openDomainOrm(db.url);
		try {
			const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: false });
			expect(diff.trim()).toBe("");
		} finally {
			await orm.close();
		}
	});

	it("should name the migration and the database error when a migration fails", async () => {
		const client = new pg.Client({ connectionString: broken.url });
		await client.connect();
		await client.query("create table unit (id int)");
		await client.end();
		await expect(migrateDomainSchema(broken.url, logger)).rejects.toThrow(
			/Domain migration Migration20261128CaseRecords failed: .*relation "unit" already exists/,
		);
	});
});
