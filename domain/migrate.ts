import { MikroORM } from "@mikro-orm/core";
import type { Logger } from "pino";
import { domainOrmOptions } from "./orm";

/** Thrown when a domain migration fails; the message names the migration and the database's error. */
export class DomainMigrationError extends Error {
	override name = "DomainMigrationError";
	constructor(
		readonly migration: string,
		readonly databaseError: string,
	) {
		super(
			`Domain migration ${migration} failed: ${databaseError}. Fix the migration or the database, then start again.`,
		);
	}
}

/**
 * Applies the pending case-record migrations (never schema sync), recording them in `domain_migrations`.
 * Each migration runs in its own transaction: a failure keeps the ones before it and nothing of itself,
 * and throws {@link DomainMigrationError}. Safe to call on every start.
 */
export async function migrateDomainSchema(databaseUrl: string, logger: Logger): Promise<void> {
	const orm = await MikroORM.init({ ...domainOrmOptions(databaseUrl), allowGlobalContext: true });
	try {
		const migrator = orm.getMigrator();
		const pending = await migrator.getPendingMigrations();
		for (const migration of pending) {
			try {
				await migrator.up({ migrations: [migration.name] });
			} catch (error) {
				throw new DomainMigrationError(migration.name, databaseMessage(error));
			}
			logger.info({ migration: migration.name }, "domain migration applied");
		}
	} finally {
		await orm.close(true);
	}
}

function databaseMessage(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = (error as Error & { cause?: unknown }).cause;
	const last = error.message.split("\n").pop()?.trim() || error.message;
	return cause instanceof Error && !last.includes(cause.message) ? `${last} (${cause.message})` : last;
}
