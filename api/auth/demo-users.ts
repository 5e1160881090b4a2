import { readFileSync } from "node:fs";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { createApiOrm } from "../db/orm";
import { UsersRepository } from "../users/users.repository";

/** One line of `scripts/demo-users.json`. */
export interface DemoUser {
	username: string;
	password: string;
	displayName?: string;
	roles: string[];
	groups: string[];
	tenant: string;
}

/** The demo users documented in `scripts/demo-users.json` and api/README.md. */
export function loadDemoUsers(): DemoUser[] {
	return JSON.parse(readFileSync(new URL("../../scripts/demo-users.json", import.meta.url), "utf8")) as DemoUser[];
}

/**
 * Creates the demo users that do not exist yet (demo mode only; `buildApp` in production refuses to start while
 * any exists). Existing users, demo or not, are left as they are.
 * @param target the API's ORM, or a database URL (migrated with `apiMigrations`) to open and close one on.
 * @returns the usernames created.
 */
export async function seedDemoUsers(
	target: MikroORM | string,
	logger: Logger,
	users: DemoUser[] = loadDemoUsers(),
): Promise<string[]> {
	const orm = typeof target !== "string" ? target : await createApiOrm({ databaseUrl: target, poolMax: 2 });
	try {
		const created: string[] = [];
		const repository = new UsersRepository(orm.em.fork());
		for (const demo of users) {
			if (await repository.findByUsername(demo.username)) continue;
			await repository.create({
				username: demo.username,
				displayName: demo.displayName,
				password: demo.password,
				roles: demo.roles,
				groups: demo.groups,
				tenantId: demo.tenant,
				isDemo: true,
			});
			created.push(demo.username);
		}
		if (created.length > 0) logger.info({ users: created }, "demo users seeded");
		return created;
	} finally {
		if (typeof target === "string") await orm.close(true);
	}
}
