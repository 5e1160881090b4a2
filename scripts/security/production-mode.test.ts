import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoUsers } from "../../api/auth/demo-users";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { type StartApiOptions, startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { loadConfig } from "../config";
import { createTestDatabase, type TestDatabase } from "../testing/database";

/** SECURITY.md's production promises, on the API as `npm start` wires it (startApi) on a real database. */
describe("security: production mode", () => {
	const logger = pino({ level: "silent" });
	let db: TestDatabase;
	const options = (jwtSecret: string | undefined): StartApiOptions => ({
		databaseUrl: db.url,
		logger,
		parts: new PartRegistry(),
		mode: "production",
		auth: { jwtSecret },
		embeddedEngine: false,
	});

	beforeAll(async () => {
		db = await createTestDatabase("sec_prod");
		await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(db.url, logger);
	});
	afterAll(async () => {
		await db?.drop();
	});

	it("should default to demo mode only when MIZAN_MODE is unset, and take production from the environment", () => {
		expect(loadConfig({}).MIZAN_MODE).toBe("demo");
		expect(loadConfig({ MIZAN_MODE: "production" }).MIZAN_MODE).toBe("production");
		expect(loadConfig({ MIZAN_MODE: "production" }).JWT_SECRET).toBeUndefined();
	});

	it("should refuse to start without a JWT secret or with one shorter than 32 characters", async () => {
		await expect(startApi(options(undefined))).rejects.toThrow(/JWT_SECRET must be set to at least 32 characters/);
		await expect(startApi(options("x".repeat(31)))).rejects.toThrow(/JWT_SECRET/);
	});

	it("should seed no demo user, so the published demo password signs nobody in", async () => {
		const app = await startApi(options("production-secret-".padEnd(48, "z")));
		try {
			for (const username of ["admin", "officer.olaya", "auditor"]) {
				const login = await app.inject({ method: "POST", url: "/v2/auth/login", payload: { username, password: "mizan-demo-2026" } });
				expect(login.statusCode).toBe(401);
			}
		} finally {
			await app.close();
		}
	});

	it("should refuse to start while any demo user exists in the database", async () => {
		await seedDemoUsers(db.url, logger);
		await expect(startApi(options("production-secret-".padEnd(48, "z")))).rejects.toThrow(/demo users/);
	});
});
