import type { MikroORM } from "@mikro-orm/postgresql";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { type AppOptions, buildApp } from "../app";
import { seedDemoUsers } from "../auth/demo-users";
import { runMigrations } from "../db/migrate";
import { apiMigrations } from "../db/migrations";
import { createApiOrm } from "../db/orm";
import { PartRegistry } from "../health/part-registry";
import type { ApiOptions } from "../v2.plugin";

/** A migrated test database with the demo users, an ORM on it and an app built on both. */
export interface ApiTestKit {
	db: TestDatabase;
	orm: MikroORM;
	app: FastifyInstance;
	/** Signs in as a demo user (see scripts/demo-users.json) and returns the `Authorization` header. */
	as(username: string): Promise<{ authorization: string }>;
	close(): Promise<void>;
}

export const testSecret = "test-secret-that-is-long-enough-for-production-0123456789";

/** Builds the kit; call `close()` in `afterAll`. */
export async function createApiTestKit(
	prefix: string,
	overrides: { api?: Partial<ApiOptions>; app?: Partial<AppOptions> } = {},
): Promise<ApiTestKit> {
	const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
	const db = await createTestDatabase(prefix);
	await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
	const orm = await createApiOrm({ databaseUrl: db.url, poolMax: 4 });
	await seedDemoUsers(orm, logger);
	const app = await buildApp({
		logger,
		parts: new PartRegistry(),
		api: {
			orm,
			mode: "demo",
			auth: { jwtSecret: testSecret, loginRateLimit: { max: 1000, timeWindowMs: 60_000 } },
			...overrides.api,
		},
		...overrides.app,
	});
	const tokens = new Map<string, string>();
	return {
		db,
		orm,
		app,
		async as(username) {
			if (!tokens.has(username)) {
				const response = await app.inject({
					method: "POST",
					url: "/v2/auth/login",
					payload: { username, password: "mizan-demo-2026" },
				});
				if (response.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${response.body}`);
				tokens.set(username, response.json().token);
			}
			return { authorization: `Bearer ${tokens.get(username)}` };
		},
		async close() {
			await app.close();
			await orm.close(true);
			await db.drop();
		},
	};
}
