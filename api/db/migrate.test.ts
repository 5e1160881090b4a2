import { Migration } from "@mikro-orm/migrations";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { MigrationError, runMigrations } from "./migrate";
import { apiMigrations } from "./migrations";

class CreatesGood extends Migration {
	override async up() {
		this.addSql("create table good_one (id int primary key)");
	}
}
class Broken extends Migration {
	override async up() {
		this.addSql("create table good_two (id int primary key)");
		this.addSql("alter table no_such_table add column x int");
	}
}

describe("migrations", () => {
	let db: TestDatabase;
	const logger = pino({ level: "silent" });
	beforeAll(async () => {
		db = await createTestDatabase("migrate");
	});
	afterAll(async () => db.drop());

	it("should apply the API's migrations once and nothing on the second run", async () => {
		const first = await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		expect(first).toEqual(apiMigrations.map((migration) => migration.name));
		const second = await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		expect(second).toEqual([]);
	});

	it("should stop with the failing migration's name and the database's error, keeping earlier ones", async () => {
		const run = runMigrations({
			databaseUrl: db.url,
			tableName: "broken_migrations",
			migrations: [
				{ name: "M1CreatesGood", class: CreatesGood },
				{ name: "M2Broken", class: Broken },
			],
			logger,
		});
		await expect(run).rejects.toBeInstanceOf(MigrationError);
		await expect(run).rejects.toThrow(/^Migration M2Broken failed: .*relation "no_such_table" does not exist/);
		const client = new pg.Client({ connectionString: db.url });
		await client.connect();
		const tables = await client.query("select table_name from information_schema.tables where table_name like 'good_%' order by 1");
		await client.end();
		expect(tables.rows.map((row) => row.table_name)).toEqual(["good_one"]);
	});
});
