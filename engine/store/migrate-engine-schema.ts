import { MikroORM } from "@mikro-orm/core";
import { type Migration, Migrator } from "@mikro-orm/migrations";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { Logger } from "pino";
import { Migration20261128Engine } from "./migration-20261128-engine";
import { Migration20261202DefinitionDeleted } from "./migration-20261202-definition-deleted";

/** Table in which MikroORM records which engine migrations ran (separate from the API's set). */
export const ENGINE_MIGRATIONS_TABLE = "engine_migrations";

/** The engine's migrations, oldest first. Add new ones at the end; never edit one that has shipped. */
export const engineMigrations: Array<{ name: string; class: new (...args: ConstructorParameters<typeof Migration>) => Migration }> = [
	{ name: "Migration20261128Engine", class: Migration20261128Engine },
	{ name: "Migration20261202DefinitionDeleted", class: Migration20261202DefinitionDeleted },
];

/** Thrown when an engine migration fails; names the migration and carries the database's error. */
export class EngineMigrationError extends Error {
	override name = "EngineMigrationError";
	constructor(
		readonly migration: string,
		readonly databaseError: string,
	) {
		super(`Engine migration ${migration} failed: ${databaseError}. Fix the database (or the migration) and start the engine again.`);
	}
}

/**
 * Brings the engine's schema up to date with MikroORM's migrator (never schema sync). Each migration runs in
 * its own transaction; a failure leaves the earlier ones applied and nothing of the failing one.
 * @returns the names of the migrations applied now
 */
export async function migrateEngineSchema(
	databaseUrl: string,
	logger: Logger,
	migrations = engineMigrations,
	tableName = ENGINE_MIGRATIONS_TABLE,
): Promise<string[]> {
	const orm = await MikroORM.init({
		driver: PostgreSqlDriver,
		clientUrl: databaseUrl,
		entities: [],
		discovery: { warnWhenNoEntities: false },
		extensions: [Migrator],
		allowGlobalContext: true,
		debug: false,
		migrations: { tableName, migrationsList: migrations, transactional: true, allOrNothing: false, emit: "ts", silent: true },
	});
	try {
		const migrator = orm.getMigrator();
		const applied: string[] = [];
		for (const pending of await migrator.getPendingMigrations()) {
			try {
				await migrator.up({ migrations: [pending.name] });
			} catch (error) {
				throw new EngineMigrationError(pending.name, databaseMessage(error));
			}
			applied.push(pending.name);
			logger.info({ migration: pending.name }, "engine migration applied");
		}
		return applied;
	} finally {
		await orm.close(true);
	}
}

function databaseMessage(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const cause = (error as Error & { cause?: unknown }).cause;
	const base = error.message.split("\n").pop()?.trim() ?? error.message;
	return cause instanceof Error && !base.includes(cause.message) ? `${base} (${cause.message})` : base;
}
