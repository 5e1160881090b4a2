import { MikroORM } from "@mikro-orm/core";
import { type Migration, Migrator } from "@mikro-orm/migrations";
import { PostgreSqlDriver } from "@mikro-orm/postgresql";
import type { Logger } from "pino";

/** A named migration class, in the order it must run. */
export interface NamedMigration {
	name: string;
	class: new (...args: ConstructorParameters<typeof Migration>) => Migration;
}

/** Options of {@link runMigrations}. */
export interface RunMigrationsOptions {
	databaseUrl: string;
	/** Table that records which of this set ran, e.g. `api_migrations`. */
	tableName: string;
	migrations: NamedMigration[];
	logger: Logger;
}

/** Thrown when a migration fails; the message names the migration and carries the database's error. */
export class MigrationError extends Error {
	override name = "MigrationError";
	constructor(
		readonly migration: string,
		readonly databaseError: string,
	) {
		super(`Migration ${migration} failed: ${databaseError}`);
	}
}

/**
 * Runs the pending migrations of one set with MikroORM's migrator (never schema sync). Each migration runs
 * in its own transaction, so a failure leaves the ones before it applied and nothing of the failing one.
 */
export async function runMigrations(options: RunMigrationsOptions): Promise<string[]> {
	const orm = await MikroORM.init({
		driver: PostgreSqlDriver,
		clientUrl: options.databaseUrl,
		entities: [],
		discovery: { warnWhenNoEntities: false },
		extensions: [Migrator],
		allowGlobalContext: true,
		debug: false,
		migrations: {
			tableName: options.tableName,
			migrationsList: options.migrations,
			transactional: true,
			allOrNothing: false,
			disableForeignKeys: false,
			emit: "ts",
			silent: true,
		},
	});
	const log = options.logger;
	try {
		const migrator = orm.getMigrator();
		const pending = await migrator.getPendingMigrations();
		const applied: string[] = [];
		for (const migration of pending) {
			try {
				await migrator.up({ migrations: [migration.name] });
			} catch (error) {
				throw new MigrationError(migration.name, databaseMessage(error));
			}
			applied.push(migration.name);
			log.info({ migration: migration.name, table: options.tableName }, "migration applied");
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
